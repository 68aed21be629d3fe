#!/usr/bin/env node
// Serves the embedded PostgreSQL (PGlite) on a loopback port and prints its URL on the first line
// of stdout. Runs until SIGTERM/SIGINT. Used by tests (Jest's VM cannot host PGlite's dynamic
// imports) and handy for poking at the one-command mode's database with psql.
//   node scripts/embedded-postgres.mjs [--data-dir DIR] [--port N]
import { createRequire } from 'node:module';
import { parseArgs } from 'node:util';

const require = createRequire(import.meta.url);
const { values } = parseArgs({
  options: { 'data-dir': { type: 'string' }, port: { type: 'string', default: '0' } },
});
const { PGlite } = require('@electric-sql/pglite');
const { PGLiteSocketServer } = require('@electric-sql/pglite-socket');

const db = await PGlite.create(values['data-dir']);
const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: Number(values.port) });
await server.start();
process.stdout.write(`postgresql://postgres:postgres@127.0.0.1:${server.port}/postgres?sslmode=disable\n`);
const stop = async () => {
  await server.stop();
  await db.close();
  process.exit(0);
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
