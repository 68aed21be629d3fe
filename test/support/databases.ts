import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { databaseUrl } from './services';

export interface TestDatabase {
  url: string;
  name: string;
  drop(): Promise<void>;
}

/** A new, empty database on the test PostgreSQL server, dropped by `drop()`. */
export async function freshDatabase(prefix = 'test'): Promise<TestDatabase> {
  const name = `${prefix}_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  const admin = new Client({ connectionString: databaseUrl() });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  const url = new URL(databaseUrl());
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    name,
    drop: async () => {
      const client = new Client({ connectionString: databaseUrl() });
      await client.connect();
      try {
        // FORCE cannot end an autovacuum worker (it is not this role's backend); one that happens
        // to be vacuuming the freshly written tables finishes within moments, so try again.
        for (let attempt = 1; ; attempt++) {
          try {
            await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
            return;
          } catch (error) {
            if (attempt >= 20 || !/member of the role|pg_signal_backend/.test((error as Error).message))
              throw error;
            await new Promise((r) => setTimeout(r, 500));
          }
        }
      } finally {
        await client.end();
      }
    },
  };
}

/** The embedded PGlite server in a child process (Jest's VM cannot host PGlite itself). */
export async function embeddedDatabase(): Promise<TestDatabase> {
  const { spawn } = await import('node:child_process');
  const { resolve } = await import('node:path');
  const child = spawn(process.execPath, [resolve(__dirname, '../../scripts/embedded-postgres.mjs')], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolveUrl, reject) => {
    let buffered = '';
    child.stdout.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const line = buffered.split('\n')[0];
      if (buffered.includes('\n') && line) resolveUrl(line.trim());
    });
    child.once('exit', (code) => reject(new Error(`embedded postgres exited with ${code}`)));
  });
  return {
    url,
    name: 'postgres',
    drop: async () => {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    },
  };
}
