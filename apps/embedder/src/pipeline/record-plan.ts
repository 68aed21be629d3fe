import type { ConsumedRecord } from '@catalens/bus';
import { decodeItemEnvelope, type ItemEnvelopeV1 } from '@catalens/contracts';
import type { ItemIndexState } from '@catalens/db';

/** What to do with one consumed record. */
export type RecordDecision =
  /** Not a valid item record: dead-letter it. */
  | { kind: 'poison'; record: ConsumedRecord; error: Error }
  /** Nothing to do: a later record or image supersedes it, or its item no longer exists. */
  | { kind: 'skip'; record: ConsumedRecord; envelope: ItemEnvelopeV1; reason: SkipReason }
  /** Already indexed from this image by this model version: refresh the payload, no encoding. */
  | { kind: 'refresh'; record: ConsumedRecord; envelope: ItemEnvelopeV1 }
  | { kind: 'embed'; record: ConsumedRecord; envelope: ItemEnvelopeV1 };

export type SkipReason = 'superseded-in-batch' | 'image-changed' | 'item-deleted' | 'other-model-version';

export interface DecodedRecord {
  record: ConsumedRecord;
  envelope: ItemEnvelopeV1;
}

/** Decodes every record; the invalid ones become poison decisions right away. */
export function decodeRecords(records: readonly ConsumedRecord[]): {
  decoded: DecodedRecord[];
  poison: Extract<RecordDecision, { kind: 'poison' }>[];
} {
  const decoded: DecodedRecord[] = [];
  const poison: Extract<RecordDecision, { kind: 'poison' }>[] = [];
  for (const record of records) {
    try {
      decoded.push({ record, envelope: decodeItemEnvelope(record.value) });
    } catch (error) {
      poison.push({ kind: 'poison', record, error: error as Error });
    }
  }
  return { decoded, poison };
}

/**
 * Decides per decoded record, given what the database knows about its item. A partition holds
 * an item's records in order, so within a batch only the last record of an item counts.
 */
export function planRecords(
  decoded: readonly DecodedRecord[],
  states: ReadonlyMap<string, ItemIndexState>,
  modelVersion: string,
): RecordDecision[] {
  const last = new Map<string, number>();
  decoded.forEach((d, i) => last.set(`${d.envelope.tenantId}/${d.envelope.itemId}`, i));
  return decoded.map(({ record, envelope }, i): RecordDecision => {
    // A reindex addresses its records to the embedders of one model version.
    if (envelope.modelHint !== undefined && envelope.modelHint !== modelVersion)
      return { kind: 'skip', record, envelope, reason: 'other-model-version' };
    if (last.get(`${envelope.tenantId}/${envelope.itemId}`) !== i)
      return { kind: 'skip', record, envelope, reason: 'superseded-in-batch' };
    const state = states.get(envelope.itemId);
    // Ingest writes the row before it produces the record, so a missing row means a deleted item.
    if (!state || state.tenantId !== envelope.tenantId)
      return { kind: 'skip', record, envelope, reason: 'item-deleted' };
    // The item's image changed after this record was produced; the newer record follows.
    if (state.contentHash !== envelope.contentHash)
      return { kind: 'skip', record, envelope, reason: 'image-changed' };
    if (state.status === 'indexed' && state.modelVersion === modelVersion)
      return { kind: 'refresh', record, envelope };
    return { kind: 'embed', record, envelope };
  });
}
