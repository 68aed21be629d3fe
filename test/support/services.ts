import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
export const REPO_ROOT = resolve(__dirname, '../..');

export const kafkaBrokers = (): string[] => (process.env.TEST_KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');
export const databaseUrl = (): string => process.env.TEST_DATABASE_URL!;

/** A topic/group name no other test or run uses. */
export const uniqueName = (prefix: string): string =>
  `${prefix}-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;

/**
 * A private broker on its own port, for tests that stop and start the broker without disturbing
 * the shared one. Same script, same jars, separate data directory.
 */
export async function privateBroker(port: number, action: 'up' | 'down' | 'wipe'): Promise<void> {
  await run('bash', [resolve(REPO_ROOT, 'scripts/kafka.sh'), action], {
    env: { ...process.env, KAFKA_PORT: String(port), KAFKA_HEAP: '384m' },
    timeout: 120_000,
  });
}

export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs: number,
  everyMs = 200,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error;
    }
    await new Promise((r) => setTimeout(r, everyMs));
  }
  throw new Error(
    `timed out after ${timeoutMs} ms waiting for ${what}${lastError instanceof Error ? `: ${lastError.message}` : ''}`,
  );
}
