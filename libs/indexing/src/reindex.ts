import type { Bus, BusRecord } from '@catalens/bus';
import { ITEM_SCHEMA_V1, encodeItemEnvelope, itemKey } from '@catalens/contracts';
import type { ItemIndexRepository, ReindexableItem } from '@catalens/db';
import type { VectorStore } from '@catalens/vector-store';
import { collectionForVersion } from './item-collection';

export class ReindexError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ReindexError';
  }
}

export interface ReindexProgress {
  phase: 'publishing' | 'indexing' | 'switched';
  published: number;
  indexed: number;
  total: number;
}

export interface ReindexRequest {
  toVersion: string;
  /** The serving alias (`CATALENS_COLLECTION`), default `items`. */
  alias?: string;
  itemsTopic: string;
  onProgress?: (progress: ReindexProgress) => void;
  /** Give up (alias untouched) when the target stops growing for this long; default 10 min. */
  stallTimeoutMs?: number;
  pollMs?: number;
  pageSize?: number;
}

export interface ReindexResult {
  from: string | null;
  to: string;
  published: number;
  indexed: number;
  seconds: number;
}

/** 16 hex digits from the signed 64-bit column (two's complement). */
const hashHex = (value: bigint): string => BigInt.asUintN(64, value).toString(16).padStart(16, '0');

/**
 * The item record a reindex publishes: the item as ingest produced it, from its stored image;
 * `toVersion` addresses it to the embedders of one model version (any, when omitted).
 */
export function reindexRecord(item: ReindexableItem, toVersion?: string): BusRecord {
  const m = {
    title: item.title,
    ...(item.description !== null ? { description: item.description } : {}),
    ...(item.category !== null ? { category: item.category } : {}),
    ...(item.price !== null ? { price: item.price } : {}),
    ...(item.currency !== null ? { currency: item.currency } : {}),
    ...(Object.keys(item.attributes).length > 0 ? { attributes: item.attributes } : {}),
  };
  return {
    key: itemKey(item.tenantId, item.id),
    value: encodeItemEnvelope({
      schema: ITEM_SCHEMA_V1,
      tenantId: item.tenantId,
      itemId: item.id,
      externalId: item.externalId,
      contentHash: item.contentHash,
      ...(item.perceptualHash !== null ? { perceptualHash: hashHex(item.perceptualHash) } : {}),
      ...(item.duplicateOfId ? { duplicateOf: item.duplicateOfId } : {}),
      image: {
        mime: item.image.mime as 'image/jpeg',
        width: item.image.width,
        height: item.image.height,
        size: item.image.bytes.length,
        bytes: item.image.bytes.toString('base64'),
      },
      metadata: m,
      ...(toVersion !== undefined ? { modelHint: toVersion } : {}),
      producedAt: new Date().toISOString(),
    }),
  };
}

/**
 * Moves search to another model version without a gap: every item is re-published from the
 * database (its stored, normalized image) addressed to that version's embedders (`modelHint`),
 * which fill the version's own collection while queries keep using the alias. When the
 * collection holds every item, the alias switches atomically; if indexing stalls, it does not.
 * One service for the CLI (`catalens reindex`) and the GraphQL mutation.
 */
export class ReindexService {
  constructor(
    private readonly bus: Bus,
    private readonly store: VectorStore,
    private readonly items: ItemIndexRepository,
  ) {}

  async run(request: ReindexRequest): Promise<ReindexResult> {
    const started = performance.now();
    const alias = request.alias ?? 'items';
    const target = collectionForVersion(alias, request.toVersion);
    const collections = await this.store.listCollections();
    if (!collections.includes(target)) {
      throw new ReindexError(
        `no collection ${target} for model version ${request.toVersion}: start an embedder with that model ` +
          `(MODEL_DIR, SEMANTIC_HEAD) and its own KAFKA_GROUP_ID first, then rerun; it creates the collection at start`,
      );
    }
    const from = (await this.store.listAliases())[alias] ?? null;
    const total = await this.items.countReindexable();
    const progress = (phase: ReindexProgress['phase'], published: number, indexed: number) =>
      request.onProgress?.({ phase, published, indexed, total });

    let published = 0;
    let after: string | null = null;
    for (;;) {
      const page = await this.items.pageForReindex(after, request.pageSize ?? 200);
      if (page.length === 0) break;
      await this.bus.publish(
        request.itemsTopic,
        page.map((item) => reindexRecord(item, request.toVersion)),
      );
      published += page.length;
      after = page[page.length - 1]!.id;
      progress('publishing', published, await this.store.count(target));
    }

    const expected = Math.min(published, total);
    const stallMs = request.stallTimeoutMs ?? 600_000;
    let indexed = await this.store.count(target);
    let lastGrowth = Date.now();
    while (indexed < expected) {
      await new Promise((r) => setTimeout(r, request.pollMs ?? 1_000));
      const now = await this.store.count(target);
      if (now > indexed) lastGrowth = Date.now();
      indexed = now;
      progress('indexing', published, indexed);
      if (Date.now() - lastGrowth > stallMs) {
        throw new ReindexError(
          `${target} stopped at ${indexed} of ${expected} items for ${Math.round(stallMs / 1000)} s; the alias still serves ${from ?? 'nothing'}. ` +
            'Check the embedder of that version (its /readyz and the DLQ), then rerun',
        );
      }
    }
    await this.store.switchAlias(alias, target);
    await this.items.setServingVersion(request.toVersion);
    progress('switched', published, indexed);
    return { from, to: target, published, indexed, seconds: (performance.now() - started) / 1000 };
  }
}
