#!/usr/bin/env node
// Offline migration authoring: compares prisma/migrations with prisma/schema.prisma.
//
//   npm run prisma:diff -- --create <name>   writes prisma/migrations/<timestamp>_<name>/migration.sql
//   npm run prisma:diff -- --check           exit 0 when migrations and schema agree, 2 (and the SQL) when not
//   npm run prisma:diff -- --schema-sql      the SQL that builds schema.prisma from nothing (for tests)
//
// How: Prisma 6.19's `migrate diff` (schema engine in WebAssembly, "engine: js") compares the schema
// snapshot saved with the latest migration (prisma/schema-history/) with prisma/schema.prisma.
// It cannot introspect a live Postgres (its wasm engine fails on catalog columns of type "char"),
// so whether the migrations really build that schema is proven separately by a test that compares
// pg_dump of a migrated database with pg_dump of one built from the schema. Prisma 7's diff needs the native schema
// engine, which no package registry ships; see docs/decisions/0002-migrations-offline.md.
import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const prisma6 = dirname(require.resolve('prisma6/package.json'));
const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const migrationsDir = join(repo, 'prisma/migrations');
const args = process.argv.slice(2);
const mode = args[0];
if (
  mode !== '--check' &&
  mode !== '--schema-sql' &&
  !(mode === '--create' && /^[a-z0-9_]+$/.test(args[1] ?? ''))
) {
  console.error('usage: prisma-diff.mjs --check | --create <snake_case_name> | --schema-sql');
  process.exit(64);
}

// The diff itself is computed from two schema files, but Prisma's CLI insists on a reachable
// database behind the adapter: the local development Postgres (scripts/postgres.sh) serves.
let url = process.env.DIFF_DATABASE_URL;
if (!url) {
  const up = spawnSync('bash', [join(repo, 'scripts/postgres.sh'), 'up'], { encoding: 'utf8' });
  if (up.status !== 0) {
    console.error(up.stderr);
    process.exit(1);
  }
  url = spawnSync('bash', [join(repo, 'scripts/postgres.sh'), 'url'], { encoding: 'utf8' }).stdout.trim();
}
// The schema as of the latest migration (a snapshot written with it) is the "from" side.
const historyDir = join(repo, 'prisma/schema-history');
const snapshots = existsSync(historyDir)
  ? readdirSync(historyDir)
      .filter((n) => n.endsWith('.prisma'))
      .sort()
  : [];
const fromSnapshot = snapshots.length > 0 ? join(historyDir, snapshots[snapshots.length - 1]) : undefined;
const forPrisma6 = (text) =>
  text
    .replace(/generator client \{[^}]*\}/, '')
    .replace(/provider = "postgresql"/, 'provider = "postgresql"\n  url      = "postgresql://unused"');

const work = mkdtempSync(join(tmpdir(), 'catalens-diff-'));
try {
  // Prisma 6 wants a datasource url in the schema and no prisma-client generator of v7.
  const current = readFileSync(join(repo, 'prisma/schema.prisma'), 'utf8');
  writeFileSync(join(work, 'schema.prisma'), forPrisma6(current));
  if (fromSnapshot) writeFileSync(join(work, 'from.prisma'), forPrisma6(readFileSync(fromSnapshot, 'utf8')));
  writeFileSync(
    join(work, 'prisma.config.js'),
    `const { defineConfig } = require(${JSON.stringify(join(prisma6, 'config.js'))});
const { PrismaPg } = require(${JSON.stringify(require.resolve('@prisma/adapter-pg'))});
module.exports = defineConfig({
  engine: 'js',
  experimental: { adapter: true },
  schema: 'schema.prisma',
  adapter: async () => new PrismaPg({ connectionString: ${JSON.stringify(url)}, idleTimeoutMillis: 50 }),
});
`,
  );
  writeFileSync(join(work, 'package.json'), '{"private":true}');
  // The CLI checks for native engines it does not use for a diff; placeholders skip the download.
  const placeholder = join(work, 'engine-placeholder');
  writeFileSync(placeholder, '#!/bin/sh\nexit 1\n');
  chmodSync(placeholder, 0o755);
  const result = spawnSync(
    process.execPath,
    [
      join(prisma6, 'build/index.js'),
      'migrate',
      'diff',
      ...(fromSnapshot && mode !== '--schema-sql'
        ? ['--from-schema-datamodel', 'from.prisma']
        : ['--from-empty']),
      '--to-schema-datamodel',
      'schema.prisma',
      '--script',
    ],
    {
      cwd: work,
      encoding: 'utf8',
      env: {
        ...process.env,
        PRISMA_SCHEMA_ENGINE_BINARY: placeholder,
        PRISMA_QUERY_ENGINE_LIBRARY: placeholder,
        PRISMA_HIDE_UPDATE_MESSAGE: '1',
        CHECKPOINT_DISABLE: '1',
      },
    },
  );
  if (result.status !== 0) {
    console.error(result.stdout, result.stderr);
    process.exitCode = 1;
  } else {
    const sql = result.stdout.replace(/^Loaded Prisma config.*\n/m, '').trim();
    const empty = sql === '' || /^-- This is an empty migration\.?$/.test(sql);
    if (mode === '--schema-sql') {
      console.log(sql);
    } else if (mode === '--check') {
      if (empty) console.log('prisma: migrations and schema agree');
      else {
        console.log(`prisma: schema.prisma has changes no migration covers:\n${sql}`);
        process.exitCode = 2;
      }
    } else if (empty) {
      console.log('prisma: nothing to migrate');
    } else {
      const stamp = new Date().toISOString().replace(/\D/g, '').slice(0, 14);
      const name = `${stamp}_${args[1]}`;
      mkdirSync(join(migrationsDir, name), { recursive: true });
      writeFileSync(join(migrationsDir, name, 'migration.sql'), `${sql}\n`);
      mkdirSync(historyDir, { recursive: true });
      writeFileSync(join(historyDir, `${name}.prisma`), current);
      console.log(`prisma: wrote prisma/migrations/${name}/migration.sql and its schema snapshot`);
    }
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
