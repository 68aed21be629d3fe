import { v5 as uuidv5, validate as isUuid } from 'uuid';

/** Namespace for catalens point ids (a fixed random UUID; changing it re-keys every point). */
export const POINT_ID_NAMESPACE = '5f1c1f9e-3a52-4c4e-9f0e-6d1a4b8c2e71';

/** Kafka record key: all records of one item land on one partition, in order. */
export function itemKey(tenantId: string, itemId: string): string {
  return `${tenantId}/${itemId}`;
}

/**
 * Vector-store point id, stable across redeliveries and reindexing: UUIDv5 of `tenantId/itemId`.
 * A redelivered record overwrites the same point, so at-least-once delivery never duplicates.
 */
export function pointId(tenantId: string, itemId: string): string {
  return uuidv5(itemKey(tenantId, itemId), POINT_ID_NAMESPACE);
}

export { isUuid };
