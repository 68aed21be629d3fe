import { type ItemEnvelopeV1, pointId } from '@catalens/contracts';
import type { Payload, PointInput } from '@catalens/vector-store';
import { SEMANTIC, VISUAL } from './item-collection';

/**
 * What a result card shows, as the item's row had it when the point was written (category as
 * given, not normalized): `similarItems` answers from it without reading the database.
 */
export interface ItemCard {
  title: string;
  category: string | null;
  currency: string | null;
  /** The product page (see productUrl). */
  url: string | null;
}

/** `attributes.url` when it is an absolute http(s) URL of at most 2,048 characters: the product page. */
export function productUrl(attributes: Record<string, unknown> | null | undefined): string | null {
  const value = attributes?.url;
  if (typeof value !== 'string' || value.length > 2048) return null;
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:' ? value : null;
  } catch {
    return null;
  }
}

/**
 * What a point carries besides its vectors: the filterable fields of the spec (normalized) and the
 * card. Points written before the card existed have none; readers fall back to the row then.
 */
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
  card: ItemCard;
  /**
   * `tenant-v<n>` when the tenant's own semantic head (trained from its feedback) computed the
   * semantic vector and tags; absent when the deployment's head did (the model version's).
   */
  semanticHead?: string;
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
  semanticHead?: string,
): ItemPayload {
  return {
    ...(semanticHead ? { semanticHead } : {}),
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
    card: {
      title: envelope.metadata.title,
      category: envelope.metadata.category ?? null,
      currency: envelope.metadata.currency ?? null,
      url: productUrl(envelope.metadata.attributes),
    },
  };
}

/** What `cardOf` gives: the card fields of a point, the ones a result needs besides the card. */
export interface PayloadCard extends ItemCard {
  itemId: string;
  externalId: string;
  price: number | null;
  contentHash: string;
  modelVersion: string;
}

const text = (v: unknown): v is string => typeof v === 'string';
const textOrNull = (v: unknown): v is string | null => v === null || typeof v === 'string';

/** The card of a stored point, or undefined when the point has none (written before cards). */
export function cardOf(p: Payload | undefined): PayloadCard | undefined {
  const card = p?.card as Partial<ItemCard> | undefined;
  if (
    !p ||
    !card ||
    !text(card.title) ||
    !textOrNull(card.category) ||
    !textOrNull(card.currency) ||
    !textOrNull(card.url) ||
    !text(p.itemId) ||
    !text(p.externalId) ||
    !(p.price === null || typeof p.price === 'number') ||
    !text(p.contentHash) ||
    !text(p.modelVersion)
  )
    return undefined;
  return {
    itemId: p.itemId,
    externalId: p.externalId,
    title: card.title,
    category: card.category,
    currency: card.currency,
    url: card.url,
    price: p.price,
    contentHash: p.contentHash,
    modelVersion: p.modelVersion,
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

/** Keys in order at every level: a store may hand objects back with their keys reordered. */
function sortKeys(value: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(value)
      .sort(([x], [y]) => (x < y ? -1 : 1))
      .map(([k, v]) => [
        k,
        v !== null && typeof v === 'object' && !Array.isArray(v) ? sortKeys(v as Record<string, unknown>) : v,
      ]),
  );
}
