import type { ConsumedRecord } from '@catalens/bus';
import { ITEM_SCHEMA_V1, encodeItemEnvelope, itemKey, type ItemEnvelopeV1 } from '@catalens/contracts';
import type { ItemIndexState } from '@catalens/db';
import { decodeRecords, planRecords } from './record-plan';

const TENANT = '0b9e4a52-6f1d-4c1e-9a55-2d5f0f7a9c01';
const itemId = (n: number) => `7c4c2a8e-1f0a-4b6e-8d2c-${String(n).padStart(12, '0')}`;
const hash = (n: number) => String(n).repeat(64).slice(0, 64);

function envelope(n: number, contentHash = hash(1)): ItemEnvelopeV1 {
  return {
    schema: ITEM_SCHEMA_V1,
    tenantId: TENANT,
    itemId: itemId(n),
    externalId: `sku-${n}`,
    contentHash,
    image: { mime: 'image/jpeg', width: 2, height: 2, size: 3, bytes: 'AAAA' },
    metadata: { title: `item ${n}` },
    producedAt: new Date(0).toISOString(),
  };
}

let offset = 0;
function record(value: Buffer | null, key: string | null): ConsumedRecord {
  return { topic: 't', partition: 0, offset: String(offset++), key, value, headers: {}, timestamp: '0' };
}
const recordOf = (e: ItemEnvelopeV1) => record(encodeItemEnvelope(e), itemKey(e.tenantId, e.itemId));

const state = (n: number, over: Partial<ItemIndexState> = {}): [string, ItemIndexState] => [
  itemId(n),
  { id: itemId(n), tenantId: TENANT, contentHash: hash(1), status: 'queued', modelVersion: null, ...over },
];

describe('decodeRecords', () => {
  it('turns every invalid record into poison with the reason, whatever its key', () => {
    const key = itemKey(TENANT, itemId(9));
    const { decoded, poison } = decodeRecords([
      record(Buffer.from('{"schema":"catalens.item.v1"}'), key),
      record(Buffer.from('not json'), 'garbage-key'),
      recordOf(envelope(1)),
    ]);
    expect(decoded).toHaveLength(1);
    expect(poison.map((p) => p.record.key)).toEqual([key, 'garbage-key']);
    expect(poison[0]!.error.message).toContain('tenantId');
    expect(poison[1]!.error.message).toContain('not JSON');
  });
});

describe('planRecords', () => {
  const version = 'enc+head';

  it('embeds a queued item and refreshes one already indexed from the same image by this version', () => {
    const { decoded } = decodeRecords([recordOf(envelope(1)), recordOf(envelope(2))]);
    const plan = planRecords(
      decoded,
      new Map([state(1), state(2, { status: 'indexed', modelVersion: version })]),
      version,
    );
    expect(plan.map((d) => d.kind)).toEqual(['embed', 'refresh']);
  });

  it('re-embeds an item indexed by another model version', () => {
    const { decoded } = decodeRecords([recordOf(envelope(1))]);
    const plan = planRecords(
      decoded,
      new Map([state(1, { status: 'indexed', modelVersion: 'old+head' })]),
      version,
    );
    expect(plan[0]!.kind).toBe('embed');
  });

  it('skips records whose image was replaced, whose item is gone, or that a later record in the batch supersedes', () => {
    const { decoded } = decodeRecords([
      recordOf(envelope(1, hash(2))),
      recordOf(envelope(3)),
      recordOf(envelope(4)),
      recordOf(envelope(4)),
    ]);
    const plan = planRecords(decoded, new Map([state(1), state(4)]), version);
    expect(plan.map((d) => (d.kind === 'skip' ? d.reason : d.kind))).toEqual([
      'image-changed',
      'item-deleted',
      'superseded-in-batch',
      'embed',
    ]);
  });

  it('skips a reindex record addressed to another model version and embeds one addressed to its own', () => {
    const { decoded } = decodeRecords([
      recordOf({ ...envelope(1), modelHint: 'other+head' }),
      recordOf({ ...envelope(2), modelHint: version }),
    ]);
    const plan = planRecords(
      decoded,
      new Map([state(1), state(2, { status: 'indexed', modelVersion: 'old+head' })]),
      version,
    );
    expect(plan.map((d) => (d.kind === 'skip' ? d.reason : d.kind))).toEqual([
      'other-model-version',
      'embed',
    ]);
  });

  it("treats a row of another tenant as a deleted item, never as this record's item", () => {
    const { decoded } = decodeRecords([recordOf(envelope(1))]);
    const other = state(1, { tenantId: '11111111-1111-4111-8111-111111111111' });
    expect(planRecords(decoded, new Map([other]), version)[0]).toMatchObject({
      kind: 'skip',
      reason: 'item-deleted',
    });
  });
});
