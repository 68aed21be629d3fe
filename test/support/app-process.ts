import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { REPO_ROOT, kafkaBrokers, waitFor } from './services';
import { TEST_PEPPER } from './tenants';

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  await new Promise((r) => server.close(r));
  return port;
}

/** What an ingest of these tests runs with: its database, broker (default the shared one) and topic. */
export function ingestEnv(options: {
  databaseUrl: string;
  topic: string;
  brokers?: string;
}): Record<string, string> {
  return {
    DATABASE_URL: options.databaseUrl,
    KAFKA_BROKERS: options.brokers ?? kafkaBrokers().join(','),
    API_KEY_PEPPER: TEST_PEPPER,
    CATALENS_TOPIC_ITEMS: options.topic,
    CATALENS_TOPIC_ITEMS_DLQ: `${options.topic}.dlq`,
  };
}

export interface AppProcess {
  url: string;
  child: ChildProcess;
  output(): string;
  stop(): Promise<void>;
}

/** Starts a built app (`apps/<name>/dist/main.js`) as its own process and waits for /healthz. */
export async function startApp(
  name: 'ingest' | 'embedder' | 'graphql',
  env: Record<string, string>,
): Promise<AppProcess> {
  const port = await freePort();
  let output = '';
  const child = spawn(process.execPath, [resolve(REPO_ROOT, `apps/${name}/dist/main.js`)], {
    env: {
      PATH: process.env.PATH,
      LOG_LEVEL: 'warn',
      HOST: '127.0.0.1',
      // Never the repository's ./data/vectors (the default): that is `npm start`'s store.
      VECTOR_STORE_DIR: mkdtempSync(join(tmpdir(), `catalens-${name}-vectors-`)),
      ...env,
      PORT: String(port),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr.on('data', (c: Buffer) => (output += c.toString()));
  const url = `http://127.0.0.1:${port}`;
  const exited = new Promise<never>((_, reject) =>
    child.once('exit', (code) =>
      reject(new Error(`${name} exited with ${code} before it was live:\n${output}`)),
    ),
  );
  exited.catch(() => undefined);
  await Promise.race([
    waitFor(`${name} /healthz`, async () => ((await fetch(`${url}/healthz`)).ok ? true : undefined), 30_000),
    exited,
  ]);
  return {
    url,
    child,
    output: () => output,
    stop: async () => {
      // A process that ended by a signal has a signalCode and no exitCode.
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    },
  };
}

export async function readiness(
  url: string,
): Promise<{ status: number; body: { details?: Record<string, { status: string; message?: string }> } }> {
  const res = await fetch(`${url}/readyz`);
  return { status: res.status, body: (await res.json()) as never };
}
