import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { REPO_ROOT } from './services';

/**
 * The Qdrant server a suite runs against: QDRANT_URL, which `npm test` and `npm run test:qdrant`
 * set after starting the binary beside the checkout (shared/bin) with scripts/qdrant.sh. Without
 * it the suite skips, printing why and what covered the same path; in CI a binary that is there
 * but was not started is a broken setup, so a failing test says so instead of a skip.
 */
export function qdrantUnderTest(suite: string, coveredBy: string): string | undefined {
  const url = process.env.QDRANT_URL;
  if (url) return url;
  const binary = resolve(
    process.env.QDRANT_BIN_DIR ?? resolve(REPO_ROOT, '../shared/bin'),
    'qdrant-v1.18.3-linux-x64.xz',
  );
  const why = `QDRANT_URL is not set${process.env.QDRANT_UNAVAILABLE ? ` (${process.env.QDRANT_UNAVAILABLE})` : ''}`;
  if (process.env.CI === 'true' && existsSync(binary)) {
    describe(`${suite} in CI`, () => {
      it('runs wherever the Qdrant binary is beside the checkout', () => {
        throw new Error(`${binary} exists but ${why}; start it with scripts/qdrant.sh up`);
      });
    });
  } else {
    console.log(`${suite} skipped: ${why}. ${coveredBy}`);
  }
  return undefined;
}
