import type { BusRecord, ConsumedRecord } from '@catalens/bus';
import { DLQ_REPLAY_HEADERS, DLQ_SCHEMA_V1, encodeDlqEnvelope } from '@catalens/contracts';

/** The DLQ record for a consumed record that failed permanently: the original, byte for byte. */
export function deadLetter(record: ConsumedRecord, error: Error, now = new Date()): BusRecord {
  const previous = Number.parseInt(record.headers[DLQ_REPLAY_HEADERS.attempts] ?? '0', 10);
  const first = record.headers[DLQ_REPLAY_HEADERS.firstFailedAt];
  const firstFailedAt =
    first && !Number.isNaN(Date.parse(first)) ? new Date(first).toISOString() : now.toISOString();
  return {
    key: record.key ?? `unkeyed/${record.partition}/${record.offset}`,
    value: encodeDlqEnvelope({
      schema: DLQ_SCHEMA_V1,
      source: {
        topic: record.topic,
        partition: record.partition,
        offset: record.offset,
        key: record.key,
        value: record.value ? record.value.toString('base64') : null,
        headers: record.headers,
      },
      error: { class: error.name, message: error.message.slice(0, 4000), permanent: true },
      attempts: (Number.isFinite(previous) && previous > 0 ? previous : 0) + 1,
      firstFailedAt,
      lastFailedAt: now.toISOString(),
    }),
  };
}
