#!/usr/bin/env node
// The long chaos run: the embedder chaos system test with 20 SIGKILL rounds instead of CI's 5.
// Needs the test services (npm run services:up) and a build (npm run build).
//   node bench/chaos.mjs [rounds] [seed]
import { spawnSync } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const rounds = process.argv[2] ?? '20';
const seed = process.argv[3];
const result = spawnSync(
  process.execPath,
  [
    resolve(repo, 'node_modules/jest/bin/jest.js'),
    '--selectProjects',
    'integration',
    '--testPathPatterns',
    'test/embedder/chaos',
  ],
  {
    cwd: repo,
    stdio: 'inherit',
    env: { ...process.env, CHAOS_ROUNDS: rounds, ...(seed ? { CHAOS_SEED: seed } : {}) },
  },
);
process.exit(result.status ?? 1);
