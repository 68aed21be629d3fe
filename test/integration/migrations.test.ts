import { execFile } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';
import { defaultMigrationsDir, migrate } from '@catalens/db';
import { embeddedDatabase, freshDatabase } from '../support/databases';
import { REPO_ROOT } from '../support/services';

const run = promisify(execFile);
jest.setTimeout(120_000);

const migrationNames = () =>
  readdirSync(defaultMigrationsDir(), { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();

async function pgDump(url: string): Promise<string> {
  const bin = readdirSync('/usr/lib/postgresql').sort().reverse()[0]!;
  const { stdout } = await run(join('/usr/lib/postgresql', bin, 'bin/pg_dump'), [
    '--schema-only',
    '--no-owner',
    '--no-privileges',
    '--exclude-table=_prisma_migrations',
    url,
  ]);
  // Keep the definitions, drop comments, blank lines and session settings that differ per dump.
  return stdout
    .split('\n')
    .filter(
      (l) =>
        l.trim() !== '' &&
        !l.startsWith('--') &&
        !l.startsWith('SET ') &&
        !l.startsWith('SELECT pg_catalog') &&
        !l.startsWith('\\'),
    )
    .join('\n');
}

describe('migrations on a real PostgreSQL', () => {
  it('apply to an empty database, record themselves as Prisma does, and re-run as a no-op', async () => {
    const db = await freshDatabase('migrate');
    try {
      const first = await migrate(db.url, defaultMigrationsDir());
      expect(first.applied).toEqual(migrationNames());
      const second = await migrate(db.url, defaultMigrationsDir());
      expect(second).toEqual({ applied: [], alreadyApplied: migrationNames() });

      const client = new Client({ connectionString: db.url });
      await client.connect();
      const { rows } = await client.query(
        'SELECT migration_name, checksum, finished_at, applied_steps_count FROM "_prisma_migrations" ORDER BY migration_name',
      );
      await client.end();
      expect(rows.map((r) => r.migration_name)).toEqual(migrationNames());
      for (const row of rows) {
        expect(row.checksum).toMatch(/^[0-9a-f]{64}$/);
        expect(row.finished_at).toBeInstanceOf(Date);
        expect(row.applied_steps_count).toBe(1);
      }
    } finally {
      await db.drop();
    }
  });

  it('serializes concurrent runs so each migration is applied exactly once', async () => {
    const db = await freshDatabase('migrate_race');
    try {
      const results = await Promise.all([1, 2, 3].map(() => migrate(db.url, defaultMigrationsDir())));
      const appliedCount = results.reduce((n, r) => n + r.applied.length, 0);
      expect(appliedCount).toBe(migrationNames().length);
    } finally {
      await db.drop();
    }
  });

  it('build exactly the schema that schema.prisma describes (pg_dump of both is identical)', async () => {
    const migrated = await freshDatabase('from_migrations');
    const fromSchema = await freshDatabase('from_schema');
    try {
      await migrate(migrated.url, defaultMigrationsDir());
      const { stdout: schemaSql } = await run(process.execPath, [
        join(REPO_ROOT, 'scripts/prisma-diff.mjs'),
        '--schema-sql',
      ]);
      const client = new Client({ connectionString: fromSchema.url });
      await client.connect();
      await client.query(schemaSql);
      await client.end();
      const [a, b] = await Promise.all([pgDump(migrated.url), pgDump(fromSchema.url)]);
      expect(a.length).toBeGreaterThan(1000);
      expect(a).toEqual(b);
    } finally {
      await Promise.all([migrated.drop(), fromSchema.drop()]);
    }
  });

  it('have a schema snapshot matching schema.prisma (prisma:diff --check is clean)', async () => {
    const { stdout } = await run(process.execPath, [join(REPO_ROOT, 'scripts/prisma-diff.mjs'), '--check']);
    expect(stdout).toContain('migrations and schema agree');
  });
});

describe('migrations on the embedded PGlite server', () => {
  it('apply to an empty database and re-run as a no-op', async () => {
    const pg = await embeddedDatabase();
    try {
      expect((await migrate(pg.url, defaultMigrationsDir())).applied).toEqual(migrationNames());
      expect((await migrate(pg.url, defaultMigrationsDir())).applied).toEqual([]);
    } finally {
      await pg.drop();
    }
  });
});
