import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { QdrantVectorStore, RemoteVectorStore, type VectorStore } from '@catalens/vector-store';
import { Client } from 'pg';
import { gradientImage } from '../fixtures/images';
import { type AppProcess, startApp } from './app-process';
import { type TestDatabase, freshDatabase } from './databases';
import { datasetDir, readLabels } from './datasets';
import { kafkaBrokers, uniqueName, waitFor } from './services';
import { startStoreServer } from './store-server';
import { TEST_PEPPER, seedTenant } from './tenants';

/** Catalog photos: the clothing dataset when present, else generated images (printed once). */
export async function catalogPhotos(count: number, offset = 0): Promise<{ bytes: Buffer; label: string }[]> {
  const dir = datasetDir('clothing');
  if (dir) {
    return readLabels(dir)
      .slice(offset, offset + count)
      .map((p) => ({ bytes: readFileSync(p.file), label: p.label }));
  }
  console.warn('pipeline test: ../shared/datasets/clothing not found; using generated images');
  return Promise.all(
    Array.from({ length: count }, async (_, i) => ({
      bytes: await gradientImage(160 + ((i + offset) % 97), 120 + ((i + offset) % 53))
        .rotate((i + offset) * 7)
        .jpeg()
        .toBuffer(),
      label: 'generated',
    })),
  );
}

export interface ItemInput {
  externalId: string;
  title: string;
  description?: string;
  category?: string;
  price?: number;
  imageBase64: string;
}

/**
 * A tenant, its database, a private topic pair and vector-store directory, and the ingest app
 * as its own process. Embedders are started (and killed) by the test.
 */
export class PipelineHarness {
  readonly topic = uniqueName('test.items');
  readonly groupId = uniqueName('test.embedder');
  readonly storeDir = mkdtempSync(join(tmpdir(), 'catalens-store-'));
  db!: TestDatabase;
  tenantId!: string;
  ingestKey!: string;
  searchKey!: string;
  /** Roles curate and admin (tag mutations, vocabulary, reindex). */
  curatorKey!: string;
  ingest!: AppProcess;
  /** Set when started with `storeServer`: embedders then share the store over HTTP. */
  storeServer: Awaited<ReturnType<typeof startStoreServer>> | undefined;
  /** Set when started with `qdrantUrl`: every process uses that Qdrant server. */
  qdrantUrl: string | undefined;
  /**
   * The serving alias (CATALENS_COLLECTION). On Qdrant it is unique to this harness, so runs
   * sharing a server never see each other's collections (`<alias>__<version>`); `stop` deletes them.
   */
  collection = 'items';
  /** Embedders and GraphQL servers this harness started (stopped before ingest). */
  private readonly embedders: AppProcess[] = [];

  get dlqTopic(): string {
    return `${this.topic}.dlq`;
  }

  private commonEnv(): Record<string, string> {
    return {
      DATABASE_URL: this.db.url,
      KAFKA_BROKERS: kafkaBrokers().join(','),
      CATALENS_TOPIC_ITEMS: this.topic,
      CATALENS_TOPIC_ITEMS_DLQ: this.dlqTopic,
      KAFKA_TOPIC_PARTITIONS: '3',
    };
  }

  /**
   * Where the embedders, GraphQL and the CLI keep vectors: Qdrant, the store server or the
   * embedded store (embedders only).
   */
  storeEnv(): Record<string, string> {
    if (this.qdrantUrl) return { QDRANT_URL: this.qdrantUrl, CATALENS_COLLECTION: this.collection };
    if (this.storeServer) return { VECTOR_STORE_URL: this.storeServer.url };
    return { VECTOR_STORE_DIR: this.storeDir };
  }

  /** A client of the shared store (Qdrant or the store server), as the apps see it. */
  vectorStore(): VectorStore {
    if (this.qdrantUrl) return new QdrantVectorStore({ url: this.qdrantUrl });
    if (this.storeServer) return new RemoteVectorStore({ url: this.storeServer.url });
    throw new Error(
      'the embedded store belongs to the embedder; start({ storeServer: true }) or { qdrantUrl }',
    );
  }

  /**
   * `storeServer`: serve the store from its own process, so several embedders (and the test)
   * share it. `qdrantUrl`: use that Qdrant server instead, under an alias of this harness alone.
   */
  async start(
    options: { storeServer?: boolean; qdrantUrl?: string; ingestEnv?: Record<string, string> } = {},
  ): Promise<this> {
    if (options.storeServer && options.qdrantUrl) throw new Error('storeServer or qdrantUrl, not both');
    if (options.qdrantUrl) {
      this.qdrantUrl = options.qdrantUrl;
      // CATALENS_COLLECTION allows 31 characters: "t" + base-36 time + 6 hex digits.
      this.collection = `t${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
    }
    if (options.storeServer) this.storeServer = await startStoreServer(this.storeDir);
    this.db = await freshDatabase('pipeline');
    const seeded = await seedTenant(this.db.url, 'shop', [['ingest'], ['search'], ['curate', 'admin']]);
    this.tenantId = seeded.tenantId;
    [this.ingestKey, this.searchKey, this.curatorKey] = seeded.keys as [string, string, string];
    this.ingest = await startApp('ingest', {
      ...this.commonEnv(),
      API_KEY_PEPPER: TEST_PEPPER,
      INGEST_MAX_BODY_BYTES: String(32 * 1024 * 1024),
      ...options.ingestEnv,
    });
    return this;
  }

  /** The GraphQL API over this pipeline's database, store (its server or Qdrant) and topic. */
  async startGraphql(env: Record<string, string> = {}): Promise<AppProcess> {
    if (!this.storeServer && !this.qdrantUrl)
      throw new Error('startGraphql needs start({ storeServer: true }) or start({ qdrantUrl })');
    const graphql = await startApp('graphql', {
      ...this.commonEnv(),
      API_KEY_PEPPER: TEST_PEPPER,
      ...this.storeEnv(),
      ...env,
    });
    this.embedders.push(graphql);
    return graphql;
  }

  async startEmbedder(env: Record<string, string> = {}): Promise<AppProcess> {
    const embedder = await startApp('embedder', {
      ...this.commonEnv(),
      KAFKA_GROUP_ID: this.groupId,
      ...this.storeEnv(),
      EMBEDDER_WORKERS: this.storeServer || this.qdrantUrl ? '1' : '2',
      ...env,
    });
    this.embedders.push(embedder);
    return embedder;
  }

  /** POSTs items in batches; every one must be accepted (202 after the broker acked). */
  async postItems(items: ItemInput[], batchSize = 25, ingestKey = this.ingestKey): Promise<void> {
    for (let i = 0; i < items.length; i += batchSize) {
      const res = await fetch(`${this.ingest.url}/v1/items`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${ingestKey}` },
        body: JSON.stringify(items.slice(i, i + batchSize)),
      });
      const body = (await res.json()) as { accepted?: number };
      if (res.status !== 202 || body.accepted !== Math.min(batchSize, items.length - i))
        throw new Error(`ingest answered ${res.status}: ${JSON.stringify(body).slice(0, 500)}`);
    }
  }

  /** Posts the items and waits until that many more items are indexed. */
  async indexItems(items: ItemInput[], timeoutMs = 300_000): Promise<void> {
    const target = ((await this.statusCounts()).indexed ?? 0) + items.length;
    await this.postItems(items);
    await waitFor(
      `${target} indexed`,
      async () => (((await this.statusCounts()).indexed ?? 0) >= target ? true : undefined),
      timeoutMs,
      500,
    );
  }

  async query<R extends object>(sql: string, params: unknown[] = []): Promise<R[]> {
    const pg = new Client({ connectionString: this.db.url });
    await pg.connect();
    try {
      return (await pg.query<R>(sql, params)).rows;
    } finally {
      await pg.end();
    }
  }

  async statusCounts(): Promise<Record<string, number>> {
    const rows = await this.query<{ status: string; n: string }>(
      'SELECT status::text, count(*) AS n FROM items GROUP BY status',
    );
    return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
  }

  async stop(): Promise<void> {
    for (const e of this.embedders) await e.stop().catch(() => undefined);
    await this.ingest?.stop();
    await this.storeServer?.stop();
    if (this.qdrantUrl) await this.dropQdrantCollections();
    await this.db?.drop();
    rmSync(this.storeDir, { recursive: true, force: true });
  }

  /** The alias and every `<alias>__<version>` collection of this harness. */
  private async dropQdrantCollections(): Promise<void> {
    const store = this.vectorStore();
    if ((await store.listAliases())[this.collection]) await store.deleteAlias(this.collection);
    for (const name of await store.listCollections())
      if (name.startsWith(`${this.collection}__`)) await store.deleteCollection(name);
  }
}
