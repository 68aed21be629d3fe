import { type ItemEnvelopeV1, pointId } from '@catalens/contracts';
import type { Payload, PointInput } from '@catalens/vector-store';
import { SEMANTIC, VISUAL } from './item-collection';

/** What a point carries besides its vectors; field names are the filterable ones of the spec. */
export interface ItemPayload extends Payload {
  tenantId: string;
  itemId: string;
  externalId: string;
  category: string | null;
  price: number | null;
  tags: string[];
  availability: string | null;
  contentHash: string;
  modelVersion: string;
  indexedAt: string;
}

/** `attributes.availability` as a keyword ("in_stock", "preorder"…), when the feed gave one. */
function availabilityOf(attributes: Record<string, unknown> | undefined): string | null {
  const value = attributes?.availability;
  if (typeof value === 'string' && value.trim()) return value.trim().toLowerCase().slice(0, 100);
  if (typeof value === 'boolean') return value ? 'in_stock' : 'out_of_stock';
  return null;
}

export function itemPayload(
  envelope: ItemEnvelopeV1,
  tags: readonly string[],
  modelVersion: string,
  indexedAt: Date,
): ItemPayload {
  return {
    tenantId: envelope.tenantId,
    itemId: envelope.itemId,
    externalId: envelope.externalId,
    category: envelope.metadata.category?.trim().toLowerCase() ?? null,
    price: envelope.metadata.price ?? null,
    tags: [...new Set(tags)],
    availability: availabilityOf(envelope.metadata.attributes),
    contentHash: envelope.contentHash,
    modelVersion,
    indexedAt: indexedAt.toISOString(),
  };
}

export function itemPoint(
  envelope: ItemEnvelopeV1,
  vectors: { visual: Float32Array; semantic: Float32Array },
  payload: ItemPayload,
): PointInput {
  return {
    id: pointId(envelope.tenantId, envelope.itemId),
    vectors: { [VISUAL]: vectors.visual, [SEMANTIC]: vectors.semantic },
    payload,
  };
}

/** True when two payloads differ in anything a query can see (indexedAt aside). */
export function payloadChanged(stored: Payload, next: ItemPayload): boolean {
  const { indexedAt: _a, ...a } = stored as ItemPayload;
  const { indexedAt: _b, ...b } = next;
  return JSON.stringify(sortKeys(a)) !== JSON.stringify(sortKeys(b));
}

function sortKeys(value: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(value).sort(([x], [y]) => (x < y ? -1 : 1)));
}
