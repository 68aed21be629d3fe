import type { Bus, BusRecord, ConsumedRecord } from '@catalens/bus';
import { ContractViolationError, DLQ_REPLAY_HEADERS, decodeDlqEnvelope } from '@catalens/contracts';

export interface ReplayRequest {
  dlqTopic: string;
  /** Only dead letters written at or after this time. */
  since?: Date;
  /** Only dead letters whose error class is one of these (e.g. UndecodableImageError). */
  errorClasses?: readonly string[];
  /** Where to re-publish; default the record's original topic. */
  toTopic?: string;
  dryRun?: boolean;
  onProgress?: (replayed: number, skipped: number) => void;
}

export interface ReplayResult {
  read: number;
  replayed: number;
  skipped: number;
  /** DLQ records that are not DLQ envelopes (left alone). */
  unreadable: number;
}

/**
 * Re-publishes dead letters to the topic they came from, byte for byte, with their key and
 * headers plus the failure count so far: a record that fails again lands in the DLQ with
 * `attempts` one higher. Fix the cause first (a model that rejects a format, a bad deploy).
 */
export async function replayDeadLetters(bus: Bus, request: ReplayRequest): Promise<ReplayResult> {
  const result: ReplayResult = { read: 0, replayed: 0, skipped: 0, unreadable: 0 };
  await bus.read(request.dlqTopic, {
    ...(request.since ? { since: request.since } : {}),
    handle: async (records: ConsumedRecord[]) => {
      const out = new Map<string, BusRecord[]>();
      for (const record of records) {
        result.read++;
        let letter;
        try {
          letter = decodeDlqEnvelope(record.value ?? Buffer.alloc(0));
        } catch (error) {
          if (!(error instanceof ContractViolationError)) throw error;
          result.unreadable++;
          continue;
        }
        if (
          letter.source.value === null ||
          (request.errorClasses && !request.errorClasses.includes(letter.error.class))
        ) {
          result.skipped++;
          continue;
        }
        const topic = request.toTopic ?? letter.source.topic;
        const list = out.get(topic) ?? [];
        list.push({
          key: letter.source.key ?? record.key ?? 'unkeyed',
          value: Buffer.from(letter.source.value, 'base64'),
          headers: {
            ...letter.source.headers,
            [DLQ_REPLAY_HEADERS.attempts]: String(letter.attempts),
            [DLQ_REPLAY_HEADERS.firstFailedAt]: letter.firstFailedAt,
          },
        });
        out.set(topic, list);
      }
      for (const [topic, list] of out) {
        if (!request.dryRun) await bus.publish(topic, list);
        result.replayed += list.length;
      }
      request.onProgress?.(result.replayed, result.skipped);
    },
  });
  return result;
}
