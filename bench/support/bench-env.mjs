// Shared set-up of the service benchmarks: local services, catalog photos, a throwaway database
// with one tenant and key, and starting an app as its own process.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
export const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** Starts Kafka and PostgreSQL through the project's scripts (no-op when already up). */
export function servicesUp() {
  for (const s of ['kafka.sh', 'postgres.sh']) {
    if (spawnSync('bash', [join(repo, 'scripts', s), 'up'], { stdio: 'inherit' }).status !== 0)
      process.exit(1);
  }
}

/** `n` photos (clothing dataset when present, generated otherwise) and a line saying which. */
export async function loadPhotos(n, offset = 0) {
  const roots = [process.env.DATASETS_DIR, resolve(repo, '../shared/datasets')].filter(Boolean);
  const dir = roots.map((d) => join(d, 'clothing')).find((d) => existsSync(join(d, 'labels.csv')));
  let photos;
  let source;
  if (dir) {
    const rows = readFileSync(join(dir, 'labels.csv'), 'utf8').trim().split('\n').slice(1);
    photos = rows.slice(offset, offset + n).map((r) => readFileSync(join(dir, r.split(',')[0])));
    source = `${photos.length} real photos from ${dir}`;
  } else {
    const sharp = require('sharp');
    photos = await Promise.all(
      Array.from({ length: n }, (_, i) =>
        sharp({
          create: {
            width: 320,
            height: 320,
            channels: 3,
            background: { r: i % 255, g: (i * 7) % 255, b: 90 },
          },
        })
          .jpeg()
          .toBuffer(),
      ),
    );
    source = `${n} generated images (../shared/datasets absent)`;
  }
  while (photos.length < n) photos.push(photos[photos.length % photos.length]);
  return { photos, source };
}

/** A new database, migrated, with tenant `bench` and an ingest key; `drop()` removes it. */
export async function benchDatabase() {
  const { Client } = require('pg');
  const db = require(join(repo, 'libs/db/dist'));
  const adminUrl = spawnSync('bash', [join(repo, 'scripts/postgres.sh'), 'url'], {
    encoding: 'utf8',
  }).stdout.trim();
  const name = `bench_${Date.now().toString(36)}_${randomBytes(2).toString('hex')}`;
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const url = Object.assign(new URL(adminUrl), { pathname: `/${name}` }).toString();
  await db.migrate(url, db.defaultMigrationsDir());
  const pepper = randomBytes(16).toString('hex');
  const prisma = db.createPrismaClient({ url, poolSize: 2 });
  const tenant = await new db.TenantRepository(prisma).create('bench', 'bench');
  const { key } = await new db.ApiKeyRepository(prisma, pepper).create(tenant.id, ['ingest']);
  return {
    url,
    pepper,
    key,
    tenantId: tenant.id,
    prisma,
    drop: async () => {
      await prisma.$disconnect();
      await admin.query(`DROP DATABASE ${name} WITH (FORCE)`);
      await admin.end();
    },
  };
}

const children = new Set();
// A benchmark that fails half-way must not leave its apps running.
process.on('exit', () => {
  for (const child of children) child.kill('SIGKILL');
});

/** Starts `apps/<name>/dist/main.js` on a free port and waits until /healthz answers. */
export async function startApp(name, env) {
  const { createServer } = require('node:net');
  const probe = createServer();
  await new Promise((r) => probe.listen(0, '127.0.0.1', r));
  const port = probe.address().port;
  await new Promise((r) => probe.close(r));
  // e.g. BENCH_APP_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" profiles the app under the load.
  const nodeArgs = (process.env.BENCH_APP_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const child = spawn(process.execPath, [...nodeArgs, join(repo, `apps/${name}/dist/main.js`)], {
    env: {
      PATH: process.env.PATH,
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      // As deployed (docker/Dockerfile): graphql-js and Express skip their development checks.
      NODE_ENV: 'production',
      ...env,
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  children.add(child);
  child.once('exit', () => children.delete(child));
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(`${url}/healthz`)).ok) break;
    } catch {
      // not listening yet
    }
    if (i > 300 || child.exitCode !== null) throw new Error(`${name} did not start`);
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    url,
    child,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    },
  };
}

export const machine = () => {
  const os = require('node:os');
  return `${os.cpus().length}× ${os.cpus()[0]?.model.trim()}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
};
