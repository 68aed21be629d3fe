import { BUS, type Bus, type ConsumedBatch, type ConsumedRecord } from '@catalens/bus';
import { pointId, type ItemEnvelopeV1 } from '@catalens/contracts';
import { ItemIndexRepository, type IndexedItem } from '@catalens/db';
import { SEMANTIC, VISUAL, itemPayload, itemPoint, payloadChanged } from '@catalens/indexing';
import { VECTOR_STORE, type PointInput, type StoredPoint, type VectorStore } from '@catalens/vector-store';
import type { ImageEmbedding } from '@catalens/vision';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { EMBEDDER_CONFIG, type EmbedderConfig } from '../config';
import { deadLetter } from '../dlq/dead-letters';
import { EmbedderMetrics } from '../metrics/embedder-metrics';
import { EmbeddingRuntime } from '../model/embedding-runtime';
import { TenantTaggers } from '../tagging/tenant-taggers';
import { ActiveHeads } from '@catalens/learning';
import { PipelineHealth } from './pipeline-health';
import { decodeRecords, planRecords, type RecordDecision } from './record-plan';
import { ServingCollection } from './serving-collection';
import { TransientRetry, isPermanent, type Stage } from './transient-retry';

interface Failed {
  record: ConsumedRecord;
  error: Error;
  /** The item to mark failed, when the record names a real one. */
  itemId?: string;
  contentHash?: string;
}

interface Embedded {
  record: ConsumedRecord;
  envelope: ItemEnvelopeV1;
  embedding: ImageEmbedding;
  /** The stored point, when the vectors were reused instead of computed. */
  stored?: StoredPoint;
}

type Decision<K extends RecordDecision['kind']> = Extract<RecordDecision, { kind: K }>;

/**
 * One partition batch, end to end: decode → plan (skip what is already done) → embed through
 * the shared micro-batcher → tag → upsert points (wait) → mark rows indexed → dead-letter the
 * permanent failures. It resolves only when all of that is durable, and only then does the
 * consumer commit the offsets (DESIGN §1: at-least-once + idempotent writes).
 */
@Injectable()
export class ItemIndexingService {
  private readonly logger = new Logger(ItemIndexingService.name);
  private readonly retry: TransientRetry;
  private readonly dlqTopic: string;

  constructor(
    @Inject(EMBEDDER_CONFIG) config: EmbedderConfig,
    @Inject(BUS) private readonly bus: Bus,
    @Inject(VECTOR_STORE) private readonly store: VectorStore,
    private readonly items: ItemIndexRepository,
    private readonly runtime: EmbeddingRuntime,
    private readonly taggers: TenantTaggers,
    private readonly heads: ActiveHeads,
    private readonly collection: ServingCollection,
    private readonly health: PipelineHealth,
    private readonly metrics: EmbedderMetrics,
  ) {
    this.dlqTopic = config.CATALENS_TOPIC_ITEMS_DLQ;
    this.retry = new TransientRetry(
      { initialMs: config.EMBEDDER_RETRY_INITIAL_MS, maxMs: config.EMBEDDER_RETRY_MAX_MS },
      {
        onRetry: (stage, attempt, error, delay) => {
          this.metrics.retries.inc({ stage });
          this.health.stageFailing(stage, error.message);
          if (attempt === 1 || attempt % 10 === 0)
            this.logger.warn(
              `${stage} unavailable (attempt ${attempt}, next in ${Math.round(delay)} ms): ${error.message}`,
            );
        },
        onRecovered: (stage) => {
          this.health.stageRecovered(stage);
          this.logger.log(`${stage} is available again`);
        },
      },
    );
  }

  async handle(batch: ConsumedBatch): Promise<void> {
    const stop = new AbortController();
    // kafkajs heartbeats only when asked: keep the membership alive while the model works, and
    // notice a revoked partition or a shutdown to stop waiting on unavailable dependencies.
    const keepAlive = setInterval(() => {
      if (!batch.isRunning()) stop.abort();
      else batch.heartbeat().catch(() => undefined);
    }, 2_000);
    try {
      await this.process(batch, stop.signal);
    } finally {
      clearInterval(keepAlive);
    }
  }

  private step<T>(stage: Stage, signal: AbortSignal, operation: () => Promise<T>): Promise<T> {
    return this.retry.run(stage, signal, operation);
  }

  private async process(batch: ConsumedBatch, signal: AbortSignal): Promise<void> {
    const { decoded, poison } = decodeRecords(batch.records);
    // An invalid record is dead-lettered but never marks a row failed: ingest does not produce
    // invalid records, so one that names a real item must not flip that item's state.
    const failed: Failed[] = poison.map((p) => ({ record: p.record, error: p.error }));
    const states = await this.step('database', signal, () =>
      this.items.states([...new Set(decoded.map((d) => d.envelope.itemId))]),
    );
    const plan = planRecords(decoded, states, this.runtime.modelVersion);
    const of = <K extends RecordDecision['kind']>(kind: K) =>
      plan.filter((d): d is Decision<K> => d.kind === kind);

    const reused = await this.storedVectors(of('refresh'), signal);
    const toEmbed: Decision<'embed'>[] = [
      ...of('embed'),
      // A point the store lost (or never wrote) is embedded again.
      ...of('refresh')
        .filter((d) => !reused.has(d.envelope.itemId))
        .map((d) => ({ ...d, kind: 'embed' as const })),
    ];
    const embedded: Embedded[] = [
      ...of('refresh').flatMap((d) => {
        const stored = reused.get(d.envelope.itemId);
        return stored
          ? [{ record: d.record, envelope: d.envelope, embedding: stored.embedding, stored: stored.point }]
          : [];
      }),
      ...(await this.embedAll(toEmbed, failed, signal)),
    ];

    const indexedAt = new Date();
    const curated = await this.step('database', signal, () =>
      this.items.curatedTags(embedded.map((e) => e.envelope.itemId)),
    );
    const writes: { embedded: Embedded; point: PointInput; row: IndexedItem }[] = [];
    for (const e of embedded) {
      // A tenant with its own head (trained from its feedback) gets its semantic vector and tags
      // from that head; everyone else from the deployment's.
      const head = await this.step('database', signal, () => this.heads.forTenant(e.envelope.tenantId));
      const tagger = await this.step('database', signal, () =>
        this.taggers.forTenant(e.envelope.tenantId, { head }),
      );
      const embedding = head
        ? { visual: e.embedding.visual, semantic: head.project(e.embedding.visual) }
        : e.embedding;
      const mine = curated.get(e.envelope.itemId)!;
      const tags = tagger.tag(embedding.semantic, { exclude: mine.rejected });
      const payload = itemPayload(
        e.envelope,
        [...tags.map((t) => t.term), ...mine.kept],
        this.runtime.modelVersion,
        indexedAt,
        head?.id,
      );
      // A redelivered record whose point already says the same thing costs no write at all.
      if (e.stored && !payloadChanged(e.stored.payload, payload)) continue;
      writes.push({
        embedded: e,
        point: itemPoint(e.envelope, embedding, payload),
        // A refreshed payload (new vocabulary, new decisions) rewrites the row's tags as well.
        row: {
          itemId: e.envelope.itemId,
          contentHash: e.envelope.contentHash,
          modelVersion: this.runtime.modelVersion,
          tags: tags.map((t) => ({ word: t.term, score: t.score })),
        },
      });
    }

    const written = await this.upsert(writes, failed, signal);
    await this.step('database', signal, () =>
      this.items.markIndexed(
        written.map((w) => w.row),
        indexedAt,
      ),
    );
    await this.deadLetter(failed, signal);
    this.count(plan, written, embedded.length - writes.length, batch);
  }

  /** Stored vectors of items already indexed from this image by this model version. */
  private async storedVectors(
    refresh: Decision<'refresh'>[],
    signal: AbortSignal,
  ): Promise<Map<string, { point: StoredPoint; embedding: ImageEmbedding }>> {
    const out = new Map<string, { point: StoredPoint; embedding: ImageEmbedding }>();
    if (refresh.length === 0) return out;
    const collection = await this.step('store', signal, () => this.collection.name());
    const ids = refresh.map((d) => pointId(d.envelope.tenantId, d.envelope.itemId));
    const points = await this.step('store', signal, () =>
      this.store.retrieve(collection, ids, { withVectors: true }),
    );
    for (const point of points) {
      const visual = point.vectors?.[VISUAL];
      const semantic = point.vectors?.[SEMANTIC];
      if (!visual || !semantic) continue;
      // A tenant head's semantic vector cannot stand in for the deployment head's (the tenant's
      // head was rolled back): such a point is embedded again. With a tenant head it is
      // re-projected from the visual vector anyway.
      if (point.payload.semanticHead && !(await this.heads.forTenant(String(point.payload.tenantId))))
        continue;
      out.set(String(point.payload.itemId), {
        point,
        embedding: { visual: Float32Array.from(visual), semantic: Float32Array.from(semantic) },
      });
    }
    return out;
  }

  /** Every record to embed goes through the shared micro-batcher (all partitions feed it). */
  private async embedAll(
    jobs: Decision<'embed'>[],
    failed: Failed[],
    signal: AbortSignal,
  ): Promise<Embedded[]> {
    const results = await Promise.all(
      jobs.map(async ({ record, envelope }): Promise<Embedded | undefined> => {
        const image = Buffer.from(envelope.image.bytes, 'base64');
        try {
          const embedding = await this.step('encoder', signal, () => this.runtime.embed(image));
          return { record, envelope, embedding };
        } catch (error) {
          if (!isPermanent(error)) throw error;
          failed.push({
            record,
            error: error as Error,
            itemId: envelope.itemId,
            contentHash: envelope.contentHash,
          });
          return undefined;
        }
      }),
    );
    return results.filter((r): r is Embedded => r !== undefined);
  }

  /**
   * Upserts the batch's points at once (`wait: true`); if the store refuses the batch as
   * invalid, point by point, so only the offending records are dead-lettered.
   */
  private async upsert<W extends { embedded: Embedded; point: PointInput }>(
    writes: W[],
    failed: Failed[],
    signal: AbortSignal,
  ): Promise<W[]> {
    if (writes.length === 0) return [];
    const collection = await this.step('store', signal, () => this.collection.name());
    const end = this.metrics.upsertSeconds.startTimer();
    try {
      await this.step('store', signal, () =>
        this.store.upsert(
          collection,
          writes.map((w) => w.point),
          { wait: true },
        ),
      );
      return writes;
    } catch (error) {
      if (!isPermanent(error)) throw error;
      this.logger.warn(
        `the store refused ${writes.length} points (${(error as Error).message}); retrying them one by one`,
      );
      const done: W[] = [];
      for (const w of writes) {
        try {
          await this.step('store', signal, () => this.store.upsert(collection, [w.point], { wait: true }));
          done.push(w);
        } catch (single) {
          if (!isPermanent(single)) throw single;
          const { record, envelope } = w.embedded;
          failed.push({
            record,
            error: single as Error,
            itemId: envelope.itemId,
            contentHash: envelope.contentHash,
          });
        }
      }
      return done;
    } finally {
      end();
    }
  }

  /** Permanent failures: a DLQ record each (replayable), and the item marked failed with why. */
  private async deadLetter(failed: Failed[], signal: AbortSignal): Promise<void> {
    if (failed.length === 0) return;
    await this.step('broker', signal, () =>
      this.bus.publish(
        this.dlqTopic,
        failed.map((f) => deadLetter(f.record, f.error)),
      ),
    );
    for (const f of failed) {
      if (f.itemId) {
        await this.step('database', signal, () =>
          this.items.markFailed(f.itemId!, f.contentHash ?? null, `${f.error.name}: ${f.error.message}`),
        );
      }
      this.metrics.dlq.inc({ error: f.error.name });
      this.metrics.records.inc({ outcome: 'dead_lettered' });
      this.logger.warn(
        `record ${f.record.topic}/${f.record.partition}@${f.record.offset} dead-lettered: ${f.error.name}: ${f.error.message}`,
      );
    }
  }

  private count(
    plan: RecordDecision[],
    written: { embedded: Embedded }[],
    unchanged: number,
    batch: ConsumedBatch,
  ): void {
    for (const { embedded } of written) {
      this.metrics.records.inc({ outcome: embedded.stored ? 'refreshed' : 'indexed' });
      const produced = Date.parse(embedded.envelope.producedAt);
      if (!embedded.stored && Number.isFinite(produced))
        this.metrics.ingestToIndexedSeconds.observe(Math.max(0, Date.now() - produced) / 1000);
    }
    const skipped = plan.filter((d) => d.kind === 'skip').length + unchanged;
    if (skipped > 0) this.metrics.records.inc({ outcome: 'skipped' }, skipped);
    const last = batch.records.at(-1);
    if (last && batch.highWatermark !== undefined) {
      this.metrics.consumerLag.set(
        { topic: batch.topic, partition: String(batch.partition) },
        Math.max(0, Number(BigInt(batch.highWatermark) - BigInt(last.offset) - 1n)),
      );
    }
  }
}
