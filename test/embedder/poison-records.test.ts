import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import {
  ITEM_SCHEMA_V1,
  decodeDlqEnvelope,
  encodeItemEnvelope,
  itemKey,
  type DlqEnvelopeV1,
  type ItemEnvelopeV1,
} from '@catalens/contracts';
import { ItemRepository, createPrismaClient } from '@catalens/db';
import { Kafka, logLevel } from 'kafkajs';
import { readiness } from '../support/app-process';
import { PipelineHarness, catalogPhotos } from '../support/pipeline';
import { REPO_ROOT, kafkaBrokers, uniqueName, waitFor } from '../support/services';

jest.setTimeout(600_000);
const run = promisify(execFile);

/** Reads every record currently on a topic. */
async function readTopic(topic: string, expected: number): Promise<DlqEnvelopeV1[]> {
  const consumer = new Kafka({ brokers: kafkaBrokers(), logLevel: logLevel.NOTHING }).consumer({
    groupId: uniqueName('verify'),
  });
  const seen: DlqEnvelopeV1[] = [];
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ message }) => void seen.push(decodeDlqEnvelope(message.value!)),
  });
  try {
    await waitFor(
      `${expected} records on ${topic}`,
      async () => (seen.length >= expected ? true : undefined),
      120_000,
    );
    await new Promise((r) => setTimeout(r, 1_000)); // anything beyond `expected` would show up now
    return seen;
  } finally {
    await consumer.disconnect();
  }
}

describe('embedder: poison records go to the DLQ with reasons; the good ones are indexed without a stall', () => {
  const harness = new PipelineHarness();
  const producer = new Kafka({ brokers: kafkaBrokers(), logLevel: logLevel.NOTHING }).producer();

  beforeAll(async () => {
    await harness.start();
    await producer.connect();
  });
  afterAll(async () => {
    await producer.disconnect();
    await harness.stop();
  });

  it('dead-letters 10 poison records among 200 good ones, marks the known items failed, and replays them', async () => {
    const photos = await catalogPhotos(200, 300);
    const good = photos.map((p, i) => ({
      externalId: `good-${i}`,
      title: `Good item ${i}`,
      imageBase64: p.bytes.toString('base64'),
    }));

    // Three items whose rows exist but whose record carries bytes no decoder accepts.
    const prisma = createPrismaClient({ url: harness.db.url, poolSize: 1 });
    const corrupt = [
      Buffer.from('this is not an image at all'),
      photos[0]!.bytes.subarray(0, 200), // a truncated JPEG
      Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47]), Buffer.alloc(300, 7)]), // PNG magic, garbage
    ];
    const corruptEnvelopes: ItemEnvelopeV1[] = [];
    for (const [i, bytes] of corrupt.entries()) {
      const contentHash = createHash('sha256').update(bytes).digest('hex');
      const row = await new ItemRepository(prisma).saveReceived(
        harness.tenantId,
        { externalId: `corrupt-${i}`, title: `Corrupt ${i}` },
        { bytes, mime: 'image/jpeg', width: 10, height: 10, contentHash, perceptualHash: 0n },
        null,
      );
      corruptEnvelopes.push({
        schema: ITEM_SCHEMA_V1,
        tenantId: harness.tenantId,
        itemId: row.id,
        externalId: row.externalId,
        contentHash,
        image: {
          mime: 'image/jpeg',
          width: 10,
          height: 10,
          size: bytes.length,
          bytes: bytes.toString('base64'),
        },
        metadata: { title: row.title },
        producedAt: new Date().toISOString(),
      });
    }
    await prisma.$disconnect();

    const valid = corruptEnvelopes[0]!;
    const json = (value: object) => Buffer.from(JSON.stringify(value));
    const poison: { key: string | null; value: Buffer | null }[] = [
      ...corruptEnvelopes.map((e) => ({ key: itemKey(e.tenantId, e.itemId), value: encodeItemEnvelope(e) })),
      { key: 'k1', value: Buffer.from('{"not json') },
      { key: 'k2', value: json({ ...valid, schema: 'catalens.item.v9' }) },
      { key: 'k3', value: json({ ...valid, metadata: {} }) },
      { key: 'k4', value: json({ ...valid, image: { ...valid.image, size: 999_999 } }) },
      { key: 'k5', value: json({ ...valid, tenantId: 'not-a-uuid' }) },
      { key: 'k6', value: null },
      { key: null, value: json({ ...valid, image: { ...valid.image, bytes: 'A'.repeat(950_000) } }) },
    ];
    expect(poison).toHaveLength(10);

    const embedder = await harness.startEmbedder();
    await harness.postItems(good.slice(0, 100));
    await producer.send({ topic: harness.topic, acks: -1, messages: poison });
    await harness.postItems(good.slice(100));

    await waitFor(
      '200 indexed and 3 failed items',
      async () => {
        const counts = await harness.statusCounts();
        return counts.indexed === 200 && counts.failed === 3 ? counts : undefined;
      },
      300_000,
      1_000,
    );
    const letters = await readTopic(harness.dlqTopic, 10);
    expect(letters).toHaveLength(10);
    expect(letters.map((l) => l.error.class).sort()).toEqual(
      [
        ...Array(3).fill('UndecodableImageError'),
        'ContractViolationError', // not JSON
        'ContractViolationError', // unsupported schema
        'ContractViolationError', // missing title
        'ContractViolationError', // size mismatch
        'ContractViolationError', // tenant id
        'ContractViolationError', // no value
        'EnvelopeTooLargeError',
      ].sort(),
    );
    for (const letter of letters) {
      expect(letter).toMatchObject({
        attempts: 1,
        source: { topic: harness.topic },
        error: { permanent: true },
      });
      expect(letter.error.message.length).toBeGreaterThan(10);
    }
    const failed = await harness.query<{ external_id: string; failure_reason: string }>(
      "SELECT external_id, failure_reason FROM items WHERE status = 'failed' ORDER BY external_id",
    );
    expect(failed.map((f) => f.external_id)).toEqual(['corrupt-0', 'corrupt-1', 'corrupt-2']);
    for (const f of failed)
      expect(f.failure_reason).toMatch(/^UndecodableImageError: the image cannot be decoded/);
    expect((await readiness(embedder.url)).status).toBe(200);

    // Replaying only the image failures sends them through again: they fail again, counted.
    const { stdout } = await run(
      process.execPath,
      [resolve(REPO_ROOT, 'apps/cli/dist/main.js'), 'dlq', 'replay', '--error', 'UndecodableImageError'],
      {
        env: {
          PATH: process.env.PATH,
          KAFKA_BROKERS: kafkaBrokers().join(','),
          CATALENS_TOPIC_ITEMS_DLQ: harness.dlqTopic,
        },
      },
    );
    expect(stdout).toContain('replayed 3 of 10 dead letters (7 filtered out, 0 unreadable)');
    const after = await readTopic(harness.dlqTopic, 13);
    expect(after).toHaveLength(13);
    const again = after.filter((l) => l.attempts === 2);
    expect(again).toHaveLength(3);
    expect(again.every((l) => l.error.class === 'UndecodableImageError')).toBe(true);
  });
});
