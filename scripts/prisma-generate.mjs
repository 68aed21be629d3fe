#!/usr/bin/env node
// Generates the Prisma client (TypeScript, into libs/db/src/generated) with no network access.
// The Prisma CLI checks for its native schema engine even though `generate` does not use it,
// and that engine is downloaded from outside the package registries; pointing the check at a
// placeholder skips the download. See docs/decisions/0002-migrations-offline.md.
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const placeholder = join(mkdtempSync(join(tmpdir(), 'catalens-prisma-')), 'schema-engine');
writeFileSync(placeholder, '#!/bin/sh\necho "placeholder: no schema engine offline" >&2\nexit 1\n');
chmodSync(placeholder, 0o755);
const cli = require.resolve('prisma/build/index.js');
const result = spawnSync(process.execPath, [cli, 'generate'], {
  stdio: ['ignore', 'pipe', 'inherit'],
  env: {
    ...process.env,
    PRISMA_SCHEMA_ENGINE_BINARY: placeholder,
    PRISMA_HIDE_UPDATE_MESSAGE: '1',
    CHECKPOINT_DISABLE: '1',
  },
});
if (result.status !== 0) {
  process.stdout.write(result.stdout);
  process.exit(result.status ?? 1);
}
