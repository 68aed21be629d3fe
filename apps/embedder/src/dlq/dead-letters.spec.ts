import type { ConsumedRecord } from '@catalens/bus';
import { DLQ_REPLAY_HEADERS, decodeDlqEnvelope } from '@catalens/contracts';
import { deadLetter } from './dead-letters';

const record = (
  headers: Record<string, string> = {},
  value: Buffer | null = Buffer.from('{"x":1}'),
): ConsumedRecord => ({
  topic: 'items',
  partition: 2,
  offset: '41',
  key: 'tenant/item',
  value,
  headers,
  timestamp: '0',
});

describe('deadLetter', () => {
  const now = new Date('2026-11-23T12:00:00Z');

  it('keeps the original record byte for byte with its key, and names the error', () => {
    const letter = deadLetter(
      record(),
      Object.assign(new Error('bad bytes'), { name: 'UndecodableImageError' }),
      now,
    );
    expect(letter.key).toBe('tenant/item');
    const envelope = decodeDlqEnvelope(letter.value);
    expect(Buffer.from(envelope.source.value!, 'base64').toString()).toBe('{"x":1}');
    expect(envelope).toMatchObject({
      source: { topic: 'items', partition: 2, offset: '41', key: 'tenant/item' },
      error: { class: 'UndecodableImageError', message: 'bad bytes', permanent: true },
      attempts: 1,
      firstFailedAt: now.toISOString(),
      lastFailedAt: now.toISOString(),
    });
  });

  it('counts on from a replayed record and keeps its first failure time', () => {
    const first = '2026-11-01T00:00:00.000Z';
    const envelope = decodeDlqEnvelope(
      deadLetter(
        record({ [DLQ_REPLAY_HEADERS.attempts]: '2', [DLQ_REPLAY_HEADERS.firstFailedAt]: first }),
        new Error('again'),
        now,
      ).value,
    );
    expect(envelope).toMatchObject({ attempts: 3, firstFailedAt: first, lastFailedAt: now.toISOString() });
  });

  it('ignores nonsense replay headers and keys a record without a key by its position', () => {
    const letter = deadLetter(
      {
        ...record(
          { [DLQ_REPLAY_HEADERS.attempts]: '-5', [DLQ_REPLAY_HEADERS.firstFailedAt]: 'yesterday' },
          null,
        ),
        key: null,
      },
      new Error('no value'),
      now,
    );
    expect(letter.key).toBe('unkeyed/2/41');
    expect(decodeDlqEnvelope(letter.value)).toMatchObject({
      attempts: 1,
      firstFailedAt: now.toISOString(),
      source: { value: null },
    });
  });
});
