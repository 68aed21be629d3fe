#!/usr/bin/env node
import 'reflect-metadata';
import { existsSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { INestApplication } from '@nestjs/common';
import { embedderApp, embedderConfigSchema, loadEmbedderConfig } from '@catalens/app-embedder';
import { graphqlApp, graphqlConfigSchema, loadGraphqlConfig } from '@catalens/app-graphql';
import { ingestApp, ingestConfigSchema, loadIngestConfig } from '@catalens/app-ingest';
import { itemTopics } from '@catalens/bus';
import { ConfigError } from '@catalens/config';
import { bootstrapApp } from '@catalens/observability';
import { SingleBar } from 'cli-progress';
import { appEnvironment, loadStandaloneConfig, type StandaloneConfig } from './config';
import { DataDirInUseError, lockDataDir, resetDataDir } from './data-dir';
import { ensureDemoTenant, ensurePepper, type DemoKeys } from './demo-tenant';
import { type EmbeddedInfrastructure, openEmbeddedInfrastructure } from './embedded-infrastructure';
import {
  SampleCatalogError,
  ingestSampleCatalog,
  readSampleCatalog,
  waitUntilIndexed,
} from './sample-catalog';

const USAGE = `catalens — the whole platform in one process, on embedded defaults

  npm start                 start (first start: create ./data, ingest the sample catalog)
  npm start -- --reset      delete this mode's data in ./data first, then start over

The database (PGlite), the message bus (a queue table in it) and the vector store live in
CATALENS_DATA_DIR (default ./data); a restart keeps them. Ports: CATALENS_GRAPHQL_PORT (3000),
CATALENS_INGEST_PORT (3001), CATALENS_EMBEDDER_PORT (3002). See docs/one-process.md.
`;

const say = (line: string) => process.stdout.write(`${line}\n`);

function progressBar(title: string, total: number): SingleBar {
  const bar = new SingleBar({
    format: `${title.padEnd(22)} [{bar}] {value}/{total}`,
    stream: process.stdout,
    noTTYOutput: true,
    notTTYSchedule: 2_000,
    hideCursor: true,
  });
  bar.start(total, 0);
  return bar;
}

/** Ingests the sample catalog once per data directory, with progress bars; a marker file says it is done. */
async function loadSampleCatalog(
  config: StandaloneConfig,
  dataDir: string,
  infra: EmbeddedInfrastructure,
  keys: DemoKeys,
  ingestUrl: string,
): Promise<void> {
  const marker = join(dataDir, 'sample-catalog.json');
  if (config.CATALENS_SAMPLE_CATALOG === 'none' || existsSync(marker)) return;
  const items = readSampleCatalog(resolve(config.CATALENS_SAMPLE_CATALOG), config.CATALENS_SAMPLE_LIMIT);
  say(`\nLoading the sample catalog (${items.length} photos from ${config.CATALENS_SAMPLE_CATALOG}):`);
  const sent = progressBar('sent to ingest', items.length);
  const outcome = await ingestSampleCatalog({
    items,
    ingestUrl,
    apiKey: keys.admin,
    onProgress: (n) => sent.update(n),
  }).finally(() => sent.stop());
  for (const r of outcome.rejected.slice(0, 5)) say(`  refused ${r.externalId}: ${r.message}`);
  const expected = items
    .map((i) => i.externalId)
    .filter((id) => !outcome.rejected.some((r) => r.externalId === id));
  const indexed = progressBar('embedded and tagged', expected.length);
  const result = await waitUntilIndexed({
    prisma: infra.prisma,
    tenantId: keys.tenantId,
    externalIds: expected,
    onProgress: (n) => indexed.update(n),
  }).finally(() => indexed.stop());
  writeFileSync(
    marker,
    `${JSON.stringify({ source: config.CATALENS_SAMPLE_CATALOG, at: new Date().toISOString(), ...result, refused: outcome.rejected.length }, null, 2)}\n`,
  );
  say(
    `sample catalog: ${result.indexed} indexed, ${result.failed} failed, ${outcome.rejected.length} refused by ingest`,
  );
}

function portOf(app: INestApplication): number {
  const server = app.getHttpServer() as import('node:http').Server;
  return (server.address() as import('node:net').AddressInfo).port;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { reset: { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help) {
    say(USAGE);
    return;
  }
  const source = process.env;
  const config = loadStandaloneConfig(source, [
    ingestConfigSchema,
    embedderConfigSchema,
    graphqlConfigSchema,
  ]);
  const dataDir = resolve(config.CATALENS_DATA_DIR);
  const release = lockDataDir(dataDir);
  process.on('exit', release);
  if (values.reset) {
    const removed = resetDataDir(dataDir);
    say(
      removed.length
        ? `--reset: removed ${removed.join(', ')} from ${dataDir}`
        : `--reset: ${dataDir} had no data`,
    );
  }
  say(`catalens (one process, embedded) — data in ${dataDir}`);
  const infra = await openEmbeddedInfrastructure(dataDir, (line) => say(`  ${line}`));
  const apps: INestApplication[] = [];
  let stopping: Promise<void> | undefined;
  const stop = (signal: string) => {
    stopping ??= (async () => {
      say(`\n${signal}: stopping (ingest, embedder, GraphQL, then the data) …`);
      // Ingest first (no new work), the embedder finishes its batch, then the readers.
      for (const app of apps)
        await app.close().catch((e: Error) => say(`  closing an app failed: ${e.message}`));
      await infra.close();
      release();
      say('stopped; the data stays in ' + dataDir);
    })();
    return stopping;
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      // A second Ctrl-C means "now"; a repeated SIGTERM (a supervisor and its child both sent one) waits.
      if (stopping && signal === 'SIGINT') {
        say('second Ctrl-C: exiting without closing the data cleanly');
        process.exit(130);
      }
      if (!stopping) void stop(signal).then(() => process.exit(0));
    });
  }
  try {
    const pepper = ensurePepper(dataDir, source.API_KEY_PEPPER);
    const keys = await ensureDemoTenant(infra.prisma, dataDir, pepper);
    const shared = { prisma: infra.prisma, bus: infra.bus, vectorStore: infra.vectorStore };
    const common = {
      DATABASE_URL: infra.databaseUrl,
      API_KEY_PEPPER: pepper,
      HOST: config.CATALENS_HOST,
      LOG_LEVEL: source.LOG_LEVEL ?? config.CATALENS_LOG_LEVEL,
      VECTOR_STORE_DIR: join(dataDir, 'vectors'),
      // One consumer reads every partition here: a few keep per-key order without idle polling.
      KAFKA_TOPIC_PARTITIONS: source.KAFKA_TOPIC_PARTITIONS ?? '2',
    };
    const ingestConfig = loadIngestConfig(
      appEnvironment(source, ingestConfigSchema, {
        ...common,
        PORT: String(config.CATALENS_INGEST_PORT),
        // The dashboard (another port, so another origin) sends items from its ingest page.
        INGEST_CORS_ORIGINS: source.INGEST_CORS_ORIGINS ?? '*',
      }),
    );
    const embedderConfig = loadEmbedderConfig(
      appEnvironment(source, embedderConfigSchema, {
        ...common,
        PORT: String(config.CATALENS_EMBEDDER_PORT),
      }),
    );

    await infra.bus.ensureTopics(itemTopics(ingestConfig));
    say('  starting ingest, embedder (loads the image model) and GraphQL …');
    const ingest = await bootstrapApp({
      name: 'ingest',
      ...ingestApp(ingestConfig, shared),
      shutdownHooks: false,
    });
    apps.push(ingest);
    const host = config.CATALENS_HOST === '0.0.0.0' ? 'localhost' : config.CATALENS_HOST;
    const ingestUrl = `http://${host}:${portOf(ingest)}`;
    const graphqlConfig = loadGraphqlConfig(
      appEnvironment(source, graphqlConfigSchema, {
        ...common,
        PORT: String(config.CATALENS_GRAPHQL_PORT),
        DASHBOARD_INGEST_URL: source.DASHBOARD_INGEST_URL ?? ingestUrl,
      }),
    );
    apps.push(
      await bootstrapApp({ name: 'embedder', ...embedderApp(embedderConfig, shared), shutdownHooks: false }),
    );
    const graphql = await bootstrapApp({
      name: 'graphql',
      ...graphqlApp(graphqlConfig, shared),
      shutdownHooks: false,
    });
    apps.push(graphql);
    const base = `http://${host}:${portOf(graphql)}`;
    await loadSampleCatalog(config, dataDir, infra, keys, ingestUrl);
    say(`
catalens is ready.
  dashboard  ${base}/                (API key below; it is kept in ${join(dataDir, 'demo-api-keys.json')})
  graphql    ${base}/graphql
  ingest     ${ingestUrl}/v1/items
  embedder   http://${host}:${portOf(apps[1] as INestApplication)}/readyz
  API key (all roles):  ${keys.admin}
  search-only key:      ${keys.search}
  widget:    <script type="module" src="${base}/widget.js"></script>
             <catalens-similar external-id="sample-shoes-01" key="${keys.search}" limit="8"></catalens-similar>
Ctrl-C stops; \`npm start\` again continues with the same data; \`npm start -- --reset\` starts over.
`);
  } catch (error) {
    await stop('start failed');
    throw error;
  }
}

const USER_ERRORS = [ConfigError, DataDirInUseError, SampleCatalogError];

main().catch((error: unknown) => {
  if (USER_ERRORS.some((type) => error instanceof type)) {
    process.stderr.write(`catalens: ${(error as Error).message}\n`);
    process.exit(error instanceof ConfigError ? 78 : 2);
  }
  process.stderr.write(
    `catalens: could not start: ${error instanceof Error ? error.stack : String(error)}\n`,
  );
  process.exit(1);
});
