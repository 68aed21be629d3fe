import { BUS, type Bus, type BusRecord } from '@catalens/bus';
import { ITEM_SCHEMA_V1, type ItemEnvelopeV1, encodeItemEnvelope, itemKey } from '@catalens/contracts';
import { ItemRepository, type StoredItem } from '@catalens/db';
import {
  SafeImageFetcher,
  hashToSignedBigInt,
  normalizeImage,
  type NormalizedImage,
} from '@catalens/imaging';
import { Inject, Injectable } from '@nestjs/common';
import { ApiError } from '../common/api-error';
import { type ErrorBody, toErrorBody } from '../common/error-body';
import { INGEST_CONFIG, type IngestConfig } from '../config';
import { type ItemInput, itemInputSchema } from './dto/item.input';
import { IngestMetrics, type IngestRoute } from './ingest-metrics';

export type IngestOutcomeKind = 'accepted' | 'unchanged' | 'rejected';

export interface IngestOutcome {
  index: number;
  externalId?: string;
  outcome: IngestOutcomeKind;
  /** The HTTP status this item alone would have been answered with. */
  status: number;
  id?: string;
  itemStatus?: string;
  duplicateOf?: string | null;
  statusUrl?: string;
  error?: { code: string; message: string; field?: string };
}

interface Prepared {
  outcome: IngestOutcome;
  record?: BusRecord;
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

function sameMetadata(stored: StoredItem, input: ItemInput): boolean {
  const canonical = (attributes: Record<string, unknown> | undefined) =>
    JSON.stringify(Object.entries(attributes ?? {}).sort(([a], [b]) => a.localeCompare(b)));
  return (
    stored.title === input.title &&
    stored.description === (input.description ?? null) &&
    stored.category === (input.category ?? null) &&
    stored.price === (input.price ?? null) &&
    stored.currency === (input.currency ?? null) &&
    canonical(stored.attributes) === canonical(input.attributes)
  );
}

function firstIssue(error: import('zod').ZodError): ApiError {
  const issue = error.issues[0]!;
  // Keys that are not plain names (empty, dotted, spaced) are shown quoted: attributes[""].
  const field =
    issue.path
      .map((key, i) =>
        typeof key === 'number'
          ? `[${key}]`
          : /^[A-Za-z_][\w-]*$/.test(String(key))
            ? `${i ? '.' : ''}${String(key)}`
            : `[${JSON.stringify(String(key))}]`,
      )
      .join('') || '(body)';
  return new ApiError(400, 'INVALID_FIELD', `${field}: ${issue.message}`, field);
}

/**
 * The front door's logic: validate, obtain and normalize the image, skip unchanged items, mark
 * near duplicates, record the item, produce it, and only then call it queued.
 */
@Injectable()
export class ItemIngestService {
  constructor(
    private readonly items: ItemRepository,
    private readonly fetcher: SafeImageFetcher,
    @Inject(BUS) private readonly bus: Bus,
    @Inject(INGEST_CONFIG) private readonly config: IngestConfig,
    private readonly metrics: IngestMetrics,
  ) {}

  /**
   * Ingests a batch. Per-item problems become `rejected` outcomes; a broker outage fails the
   * whole call with BusUnavailableError (nothing of it is marked queued).
   */
  async ingest(
    tenantId: string,
    rawItems: unknown[],
    options: { route: IngestRoute; images?: (Buffer | undefined)[] } = { route: 'items' },
  ): Promise<IngestOutcome[]> {
    const images = options.images ?? [];
    const seen = new Set<string>();
    const prepared: Prepared[] = new Array<Prepared>(rawItems.length);
    const concurrency = 4;
    for (let start = 0; start < rawItems.length; start += concurrency) {
      const slice = rawItems.slice(start, start + concurrency);
      await Promise.all(
        slice.map(async (raw, offset) => {
          const index = start + offset;
          prepared[index] = await this.prepare(
            tenantId,
            index,
            raw,
            images[index],
            seen,
            rawItems.length > 1,
            options.route,
          );
        }),
      );
    }
    const toPublish = prepared.filter((p) => p.record);
    if (toPublish.length > 0) {
      const endProduce = this.metrics.produceSeconds.startTimer();
      await this.bus.publish(
        this.config.CATALENS_TOPIC_ITEMS,
        toPublish.map((p) => p.record!),
      );
      endProduce();
      await this.items.markQueued(
        tenantId,
        toPublish.map((p) => p.outcome.id!),
      );
      for (const p of toPublish) p.outcome.itemStatus = 'queued';
    }
    for (const { outcome } of prepared)
      this.metrics.items.inc({
        route: options.route,
        outcome: outcome.outcome,
        code: outcome.error?.code ?? '',
      });
    return prepared.map((p) => p.outcome);
  }

  private async prepare(
    tenantId: string,
    index: number,
    raw: unknown,
    uploaded: Buffer | undefined,
    seen: Set<string>,
    inBatch: boolean,
    route: IngestRoute,
  ): Promise<Prepared> {
    const prefix = inBatch ? `items[${index}]` : '';
    let externalId: string | undefined;
    try {
      const parsed = itemInputSchema.safeParse(uploaded ? { ...(raw as object), imageBase64: '' } : raw);
      if (!parsed.success) throw firstIssue(parsed.error);
      const input = parsed.data;
      externalId = input.externalId;
      if (seen.has(input.externalId)) {
        throw new ApiError(
          400,
          'DUPLICATE_EXTERNAL_ID',
          `externalId "${input.externalId.slice(0, 60)}" appears more than once in this batch`,
          'externalId',
        );
      }
      seen.add(input.externalId);

      const bytes = uploaded ?? (await this.imageBytes(input));
      this.metrics.bytesIn.inc({ route }, bytes.length);
      const endNormalize = this.metrics.normalizeSeconds.startTimer();
      const image = await normalizeImage(bytes, {
        maxBytes: this.config.INGEST_MAX_IMAGE_BYTES,
        maxPixels: this.config.INGEST_MAX_IMAGE_PIXELS,
      }).finally(endNormalize);
      const existing = await this.items.findByExternalId(tenantId, input.externalId);
      if (
        existing &&
        existing.contentHash === image.contentHash &&
        (existing.status === 'queued' || existing.status === 'indexed') &&
        sameMetadata(existing, input)
      ) {
        return { outcome: this.outcome(index, existing, 'unchanged', 200) };
      }
      const perceptual = hashToSignedBigInt(image.perceptualHash);
      const duplicateOf = await this.items.findNearDuplicate(
        tenantId,
        perceptual,
        this.config.INGEST_NEAR_DUPLICATE_DISTANCE,
        input.externalId,
      );
      const stored = await this.items.saveReceived(
        tenantId,
        { ...input, sourceUrl: input.imageUrl ?? null },
        { ...image, perceptualHash: perceptual },
        duplicateOf ?? null,
      );
      return {
        outcome: this.outcome(index, stored, 'accepted', 202),
        record: this.record(stored, input, image),
      };
    } catch (error) {
      const body: ErrorBody = toErrorBody(error);
      if (body.code === 'INTERNAL') throw error;
      return {
        outcome: {
          index,
          externalId,
          outcome: 'rejected',
          status: body.status,
          error: {
            code: body.code,
            message: body.message,
            // Fields are named relative to the item; a batch element is named by its index once, here.
            ...(body.field ? { field: prefix ? `${prefix}.${body.field}` : body.field } : {}),
          },
        },
      };
    }
  }

  private async imageBytes(input: ItemInput): Promise<Buffer> {
    if (input.imageUrl !== undefined) {
      const endFetch = this.metrics.fetchSeconds.startTimer();
      return (await this.fetcher.fetch(input.imageUrl).finally(endFetch)).bytes;
    }
    const text = input.imageBase64!.replace(/^data:image\/[a-z+.-]+;base64,/, '').replace(/\s+/g, '');
    if (!BASE64.test(text) || text.length % 4 === 1) {
      throw new ApiError(400, 'INVALID_FIELD', 'imageBase64: not valid base64', 'imageBase64');
    }
    return Buffer.from(text, 'base64');
  }

  private outcome(
    index: number,
    item: StoredItem,
    outcome: IngestOutcomeKind,
    status: number,
  ): IngestOutcome {
    return {
      index,
      externalId: item.externalId,
      outcome,
      status,
      id: item.id,
      itemStatus: item.status,
      duplicateOf: item.duplicateOfId,
      statusUrl: `/v1/items/${encodeURIComponent(item.externalId)}`,
    };
  }

  private record(item: StoredItem, input: ItemInput, image: NormalizedImage): BusRecord {
    const envelope: ItemEnvelopeV1 = {
      schema: ITEM_SCHEMA_V1,
      tenantId: item.tenantId,
      itemId: item.id,
      externalId: item.externalId,
      contentHash: image.contentHash,
      perceptualHash: image.perceptualHash,
      ...(item.duplicateOfId ? { duplicateOf: item.duplicateOfId } : {}),
      image: {
        mime: image.mime,
        width: image.width,
        height: image.height,
        size: image.bytes.length,
        bytes: image.bytes.toString('base64'),
      },
      metadata: {
        title: input.title,
        ...(input.description !== undefined ? { description: input.description } : {}),
        ...(input.category !== undefined ? { category: input.category } : {}),
        ...(input.price !== undefined ? { price: input.price } : {}),
        ...(input.currency !== undefined ? { currency: input.currency } : {}),
        ...(input.attributes !== undefined ? { attributes: input.attributes } : {}),
      },
      producedAt: new Date().toISOString(),
    };
    return { key: itemKey(item.tenantId, item.id), value: encodeItemEnvelope(envelope) };
  }
}
