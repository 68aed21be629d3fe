import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { QdrantVectorStore } from '../src';
import { REPO_ROOT, uniqueName } from '../../../test/support/services';
import { vectorStoreContract } from './vector-store.contract';

// The server is a binary beside the checkout (shared/bin), started by scripts/qdrant.sh: `npm test`
// and `npm run test:qdrant` start it and pass QDRANT_URL; any other server works the same way:
//   QDRANT_URL=http://localhost:6333 npm run test:qdrant
const url = process.env.QDRANT_URL;
const binary = resolve(
  process.env.QDRANT_BIN_DIR ?? resolve(REPO_ROOT, '../shared/bin'),
  'qdrant-v1.18.3-linux-x64.xz',
);
// In CI a binary that is there but was not started is a broken setup, not a reason to skip.
const misconfigured = !url && process.env.CI === 'true' && existsSync(binary);
const why = `QDRANT_URL is not set${process.env.QDRANT_UNAVAILABLE ? ` (${process.env.QDRANT_UNAVAILABLE})` : ''}`;

if (misconfigured) {
  describe('Qdrant contract suite in CI', () => {
    it('runs wherever the Qdrant binary is beside the checkout', () => {
      throw new Error(`${binary} exists but ${why}; start it with scripts/qdrant.sh up`);
    });
  });
} else if (!url) {
  console.log(`Qdrant contract suite skipped: ${why}. The embedded store ran the same suite.`);
}

(url ? describe : describe.skip)(
  `QdrantVectorStore honours the VectorStore contract (${url ?? 'QDRANT_URL unset'})`,
  () => {
    vectorStoreContract(
      async () => {
        const open = (): QdrantVectorStore =>
          new QdrantVectorStore({
            url: url!,
            ...(process.env.QDRANT_API_KEY ? { apiKey: process.env.QDRANT_API_KEY } : {}),
          });
        return { store: open(), reopen: async () => open() };
      },
      (prefix) => uniqueName(`test-${prefix}`).toLowerCase(),
    );
  },
);
