#!/usr/bin/env node
// Serves the embedded PostgreSQL (PGlite) on a loopback port and prints its URL on the first line
// of stdout. Runs until SIGTERM/SIGINT. Used by tests (Jest's VM cannot host PGlite's dynamic
// imports) and handy for poking at a stopped one-command mode's database with psql. Uses the
// project's own startEmbeddedPostgres (libs/db, after `npm run build`): the same PGlite version.
//   node scripts/embedded-postgres.mjs [--data-dir DIR] [--port N] [--max-connections N]
import { createRequire } from 'node:module';
import { parseArgs } from 'node:util';

const require = createRequire(import.meta.url);
const { values } = parseArgs({
  options: {
    'data-dir': { type: 'string' },
    port: { type: 'string', default: '0' },
    'max-connections': { type: 'string', default: '1' },
  },
});
const { startEmbeddedPostgres } = require('../libs/db/dist/embedded/embedded-postgres.js');

const db = await startEmbeddedPostgres({
  ...(values['data-dir'] ? { dataDir: values['data-dir'] } : {}),
  port: Number(values.port),
  maxConnections: Number(values['max-connections']),
});
process.stdout.write(`${db.url}\n`);
const stop = async () => {
  await db.stop();
  process.exit(0);
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
