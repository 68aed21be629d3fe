#!/usr/bin/env node
// `npm run start:distributed`: the three deployables as separate processes, the way they run in
// production, against local services. Starts Kafka and PostgreSQL through the project's scripts,
// applies migrations, makes sure a `demo` tenant with an all-roles API key exists (kept in
// ./data/distributed/), then runs ingest (:3001), embedder (:3002) and graphql (:3000) until Ctrl-C.
// `npm start` is the one-process mode on embedded defaults (apps/standalone) instead.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const dataDir = join(repo, 'data', 'distributed');
mkdirSync(dataDir, { recursive: true });

const sh = (script, arg) => {
  const result = spawnSync('bash', [join(repo, 'scripts', script), arg], { stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
};
sh('kafka.sh', 'up');
sh('postgres.sh', 'up');

const databaseUrl = spawnSync('bash', [join(repo, 'scripts/postgres.sh'), 'url'], {
  encoding: 'utf8',
}).stdout.trim();
const pepperFile = join(dataDir, 'api-key-pepper');
if (!existsSync(pepperFile)) writeFileSync(pepperFile, randomBytes(32).toString('hex'), { mode: 0o600 });
const env = {
  ...process.env,
  DATABASE_URL: process.env.DATABASE_URL ?? databaseUrl,
  KAFKA_BROKERS: process.env.KAFKA_BROKERS ?? '127.0.0.1:9092',
  API_KEY_PEPPER: process.env.API_KEY_PEPPER ?? readFileSync(pepperFile, 'utf8').trim(),
};

const cli = (...args) =>
  spawnSync(process.execPath, [join(repo, 'apps/cli/dist/main.js'), ...args], { env, encoding: 'utf8' });
const migrated = cli('migrate');
process.stdout.write(migrated.stdout);
if (migrated.status !== 0) {
  process.stderr.write(migrated.stderr);
  process.exit(1);
}
const keyFile = join(dataDir, 'demo-api-key.json');
if (!existsSync(keyFile)) {
  const tenants = cli('tenants', 'list').stdout;
  if (!tenants.includes('"slug":"demo"'))
    cli('tenants', 'create', '--slug', 'demo', '--name', 'Demo catalog');
  const created = cli(
    'keys',
    'create',
    '--tenant',
    'demo',
    '--roles',
    'ingest,search,curate,admin',
    '--name',
    'npm start',
  );
  if (created.status !== 0) {
    process.stderr.write(created.stderr);
    process.exit(1);
  }
  writeFileSync(keyFile, created.stdout, { mode: 0o600 });
}
const demoKey = JSON.parse(readFileSync(keyFile, 'utf8')).key;

// The embedded vector store belongs to one process: a store server owns ./data/vectors and the
// embedder (writes) and graphql (reads) reach it over loopback (docs/decisions/0006).
const storePort = process.env.VECTOR_STORE_PORT ?? '6343';
const store = spawn(
  process.execPath,
  [
    join(repo, 'apps/cli/dist/main.js'),
    'store',
    'serve',
    '--dir',
    join(dataDir, 'vectors'),
    '--port',
    storePort,
  ],
  { env, stdio: ['ignore', 'pipe', 'inherit'] },
);
await new Promise((ready, fail) => {
  store.stdout.on('data', (chunk) => String(chunk).includes('served at') && ready());
  store.once('exit', (code) => fail(new Error(`the vector store server exited with ${code}`)));
});
env.VECTOR_STORE_URL ??= `http://127.0.0.1:${storePort}`;

const apps = [
  store,
  ...[
    ['graphql', 3000],
    ['ingest', 3001],
    ['embedder', 3002],
  ].map(([name, port]) =>
    spawn(process.execPath, [join(repo, `apps/${name}/dist/main.js`)], {
      env: { ...env, PORT: String(port) },
      stdio: 'inherit',
    }),
  ),
];
process.stdout.write(
  `\ncatalens is starting:\n  dashboard http://localhost:3000/  (enter the API key below)\n  graphql   http://localhost:3000/graphql  (/healthz /readyz /metrics)\n` +
    `  ingest    http://localhost:3001\n  embedder  http://localhost:3002  (health and metrics only)\n` +
    `  vectors   ${env.VECTOR_STORE_URL}  (store server over ./data/vectors)\n` +
    `  demo tenant API key (all roles): ${demoKey}\nCtrl-C stops the apps; \`npm run services:down\` stops Kafka and PostgreSQL.\n\n`,
);

let stopping = false;
const stop = () => {
  if (stopping) return;
  stopping = true;
  for (const child of apps) child.kill('SIGTERM');
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
for (const child of apps) {
  child.on('exit', (code) => {
    if (!stopping && code !== 0) {
      process.stderr.write(`an app exited with code ${code}; stopping the others\n`);
      stop();
      process.exitCode = 1;
    }
  });
}
