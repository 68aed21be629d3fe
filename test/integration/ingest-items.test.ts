import { readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { Kafka, logLevel } from 'kafkajs';
import { Client } from 'pg';
import sharp from 'sharp';
import { decodeItemEnvelope } from '@catalens/contracts';
import { animatedGif, gradientImage, pngPixelBomb } from '../fixtures/images';
import { type AppProcess, ingestEnv, startApp } from '../support/app-process';
import { type TestDatabase, freshDatabase } from '../support/databases';
import { datasetDir, readLabels } from '../support/datasets';
import { TestImageServer } from '../support/image-server';
import { kafkaBrokers, privateBroker, uniqueName, waitFor } from '../support/services';
import { seedTenant } from '../support/tenants';

jest.setTimeout(240_000);

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- response bodies are asserted field by field
const json = (res: Response): Promise<any> => res.json();

/** Real catalog photos when ../shared is present, else generated ones (printed). */
async function catalogImages(count: number): Promise<Buffer[]> {
  const dir = datasetDir('clothing');
  if (dir)
    return readLabels(dir)
      .slice(0, count)
      .map((p) => readFileSync(p.file));
  console.warn('ingest test: ../shared/datasets/clothing not found; using generated images');
  return Promise.all(
    Array.from({ length: count }, (_, i) =>
      gradientImage(200 + i, 160)
        .rotate(i * 7)
        .jpeg()
        .toBuffer(),
    ),
  );
}

describe('ingest over HTTP onto real Kafka and PostgreSQL', () => {
  let db: TestDatabase;
  let app: AppProcess;
  let key: string;
  let searchKey: string;
  let tenantId: string;
  const topic = uniqueName('test.items');
  const images = new TestImageServer();
  const admin = new Kafka({ brokers: kafkaBrokers(), logLevel: logLevel.NOTHING }).admin();

  const post = (path: string, body: unknown, apiKey: string | null = key, raw?: string) =>
    fetch(`${app.url}${path}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(apiKey ? { authorization: `Bearer ${apiKey}` } : {}),
      },
      body: raw ?? JSON.stringify(body),
    });

  const sendFeed = async (contentType: string, body: string | ReadableStream, to: AppProcess = app) => {
    const res = await fetch(`${to.url}/v1/feeds`, {
      method: 'POST',
      headers: { 'content-type': contentType, authorization: `Bearer ${key}` },
      body,
      ...(typeof body === 'string' ? {} : { duplex: 'half' }),
    });
    const lines = (await res.text())
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    return {
      status: res.status,
      type: res.headers.get('content-type'),
      results: lines.slice(0, -1),
      summary: lines.at(-1)?.summary,
    };
  };

  const topicRecords = async () => {
    const offsets = await admin.fetchTopicOffsets(topic);
    return offsets.reduce((n, o) => n + Number(o.high), 0);
  };

  /** What every ingest process of these tests runs with: this database, broker and topic. */
  const env = () => ({ ...ingestEnv({ databaseUrl: db.url, topic }), KAFKA_TOPIC_PARTITIONS: '3' });

  beforeAll(async () => {
    db = await freshDatabase('ingest');
    const seeded = await seedTenant(db.url, 'shop', [['ingest'], ['search']]);
    tenantId = seeded.tenantId;
    [key, searchKey] = seeded.keys as [string, string];
    await images.start();
    await admin.connect();
    app = await startApp('ingest', {
      ...env(),
      INGEST_FETCH_ALLOW_CIDRS: '127.0.0.1/32',
      INGEST_MAX_BODY_BYTES: String(8 * 1024 * 1024),
      INGEST_MAX_IMAGE_BYTES: String(2 * 1024 * 1024),
    });
    await waitFor(
      'the item topic',
      async () => ((await admin.listTopics()).includes(topic) ? true : undefined),
      30_000,
    );
  });

  afterAll(async () => {
    await app?.stop();
    await admin.disconnect();
    await images.stop();
    await db?.drop();
  });

  it('accepts items by base64, by URL and in a batch: one record per item, rows queued, re-ingest unchanged', async () => {
    const photos = await catalogImages(60);
    photos.forEach((bytes, i) => images.serve(`/p/${i}.jpg`, bytes));
    const item = (i: number, image: object) => ({
      externalId: `sku-${i}`,
      title: `Product ${i}`,
      category: 'apparel',
      price: 10 + i,
      currency: 'EUR',
      ...image,
    });

    for (let i = 0; i < 20; i++) {
      const res = await post('/v1/items', item(i, { imageBase64: photos[i]!.toString('base64') }));
      expect(res.status).toBe(202);
      expect(await json(res)).toMatchObject({
        externalId: `sku-${i}`,
        outcome: 'accepted',
        itemStatus: 'queued',
        statusUrl: `/v1/items/sku-${i}`,
      });
    }
    for (let i = 20; i < 40; i++) {
      const res = await post('/v1/items', item(i, { imageUrl: images.url(`/p/${i}.jpg`) }));
      expect(res.status).toBe(202);
    }
    const batch = await post(
      '/v1/items',
      Array.from({ length: 20 }, (_, k) => item(40 + k, { imageUrl: images.url(`/p/${40 + k}.jpg`) })),
    );
    expect(batch.status).toBe(202);
    expect(await json(batch)).toMatchObject({ accepted: 20, unchanged: 0, rejected: 0 });

    // Exactly one record per item on the topic, each a valid envelope for this tenant.
    const consumer = new Kafka({ brokers: kafkaBrokers(), logLevel: logLevel.NOTHING }).consumer({
      groupId: uniqueName('verify'),
    });
    const perKey = new Map<string, number>();
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => {
        const envelope = decodeItemEnvelope(message.value);
        expect(envelope.tenantId).toBe(tenantId);
        perKey.set(message.key!.toString(), (perKey.get(message.key!.toString()) ?? 0) + 1);
      },
    });
    await waitFor('60 records', async () => (perKey.size >= 60 ? true : undefined), 60_000);
    await consumer.disconnect();
    expect(perKey.size).toBe(60);
    expect([...perKey.values()].every((n) => n === 1)).toBe(true);

    const pg = new Client({ connectionString: db.url });
    await pg.connect();
    const { rows } = await pg.query<{ status: string; n: string }>(
      'SELECT status, count(*) AS n FROM items GROUP BY status',
    );
    await pg.end();
    expect(rows).toEqual([{ status: 'queued', n: '60' }]);

    // Re-ingesting the same items changes nothing and produces nothing.
    const before = await topicRecords();
    const again = await post(
      '/v1/items',
      Array.from({ length: 20 }, (_, k) => item(40 + k, { imageUrl: images.url(`/p/${40 + k}.jpg`) })),
    );
    expect(again.status).toBe(200);
    expect(await json(again)).toMatchObject({ accepted: 0, unchanged: 20 });
    const single = await post('/v1/items', item(3, { imageBase64: photos[3]!.toString('base64') }));
    expect(single.status).toBe(200);
    expect((await json(single)).outcome).toBe('unchanged');
    expect(await topicRecords()).toBe(before);

    // A re-encoded, resized copy under a new id is accepted and marked as a near duplicate.
    const copy = await sharp(photos[5]).resize(300).jpeg({ quality: 70 }).toBuffer();
    const dup = await post('/v1/items', item(999, { imageBase64: copy.toString('base64') }));
    expect(dup.status).toBe(202);
    const original = await json(
      await fetch(`${app.url}/v1/items/sku-5`, { headers: { authorization: `Bearer ${key}` } }),
    );
    expect((await json(dup)).duplicateOf).toBe(original.id);

    const status = await fetch(`${app.url}/v1/items/sku-7`, { headers: { 'x-api-key': searchKey } });
    expect(status.status).toBe(200);
    expect(await json(status)).toMatchObject({ externalId: 'sku-7', status: 'queued', tags: [] });
  });

  it('ingests 500 catalog photos through JSON, upload and feed: one record each, all queued, re-ingest unchanged', async () => {
    const photos = (await catalogImages(561)).slice(61);
    photos.forEach((bytes, i) => images.serve(`/c/${i}.jpg`, bytes));
    const base = { title: 'Catalog photo', category: 'apparel' };
    const before = await topicRecords();
    const jsonRoute = async () => {
      for (let i = 0; i < 100; i++) {
        const body = {
          ...base,
          externalId: `c-${i}`,
          ...(i % 2
            ? { imageUrl: images.url(`/c/${i}.jpg`) }
            : { imageBase64: photos[i]!.toString('base64') }),
        };
        expect((await post('/v1/items', body)).status).toBe(202);
      }
      for (let start = 100; start < 200; start += 50) {
        const batch = Array.from({ length: 50 }, (_, k) => ({
          ...base,
          externalId: `c-${start + k}`,
          imageUrl: images.url(`/c/${start + k}.jpg`),
        }));
        expect((await json(await post('/v1/items', batch))).accepted).toBe(50);
      }
    };
    const uploadRoute = async () => {
      for (let i = 200; i < 350; i++) {
        const form = new FormData();
        form.set('externalId', `c-${i}`);
        form.set('title', base.title);
        form.set('image', new Blob([photos[i]!], { type: 'image/jpeg' }), `${i}.jpg`);
        const res = await fetch(`${app.url}/v1/items/upload`, {
          method: 'POST',
          headers: { authorization: `Bearer ${key}` },
          body: form,
        });
        expect(res.status).toBe(202);
      }
    };
    const feed = () =>
      Array.from({ length: 150 }, (_, k) =>
        JSON.stringify({ ...base, externalId: `c-${350 + k}`, imageUrl: images.url(`/c/${350 + k}.jpg`) }),
      ).join('\n');
    const feedRoute = async () => {
      expect((await sendFeed('application/x-ndjson', feed())).summary).toEqual({
        lines: 150,
        accepted: 150,
        unchanged: 0,
        rejected: 0,
      });
    };
    await Promise.all([jsonRoute(), uploadRoute(), feedRoute()]);

    expect((await topicRecords()) - before).toBe(500);
    const pg = new Client({ connectionString: db.url });
    await pg.connect();
    const { rows } = await pg.query<{ status: string; n: string }>(
      "SELECT status, count(*) AS n FROM items WHERE external_id LIKE 'c-%' GROUP BY status",
    );
    await pg.end();
    expect(rows).toEqual([{ status: 'queued', n: '500' }]);

    // The same feed again: all unchanged, nothing produced.
    expect((await sendFeed('application/x-ndjson', feed())).summary).toMatchObject({
      accepted: 0,
      unchanged: 150,
    });
    expect((await topicRecords()) - before).toBe(500);
  });

  it('accepts a multipart upload and answers bad uploads clearly', async () => {
    const upload = (form: FormData, apiKey = key) =>
      fetch(`${app.url}/v1/items/upload`, {
        method: 'POST',
        headers: { authorization: `Bearer ${apiKey}` },
        body: form,
      });
    const photo = (await catalogImages(61))[60]!;
    const form = () => {
      const f = new FormData();
      f.set('externalId', 'upload-1');
      f.set('title', 'Uploaded shoe');
      f.set('price', '59.5');
      f.set('attributes', JSON.stringify({ colour: 'red' }));
      f.set('image', new Blob([photo], { type: 'image/jpeg' }), 'shoe.jpg');
      return f;
    };
    const accepted = await upload(form());
    expect(accepted.status).toBe(202);
    expect(await json(accepted)).toMatchObject({
      externalId: 'upload-1',
      outcome: 'accepted',
      itemStatus: 'queued',
    });
    expect((await json(await upload(form()))).outcome).toBe('unchanged');

    const noFile = new FormData();
    noFile.set('externalId', 'upload-2');
    noFile.set('title', 'No image');
    const missing = await upload(noFile);
    expect(missing.status).toBe(400);
    expect((await json(missing)).error.code).toBe('IMAGE_MISSING');

    const badPrice = form();
    badPrice.set('externalId', 'upload-3');
    badPrice.set('price', 'cheap');
    expect((await json(await upload(badPrice))).error.field).toBe('price');

    const svg = form();
    svg.set('externalId', 'upload-4');
    svg.set(
      'image',
      new Blob(['<svg xmlns="http://www.w3.org/2000/svg"/>'], { type: 'image/jpeg' }),
      'x.jpg',
    );
    const refused = await upload(svg);
    expect(refused.status).toBe(415);

    const tooBig = form();
    tooBig.set('externalId', 'upload-5');
    tooBig.set('image', new Blob([Buffer.alloc(3 * 1024 * 1024, 1)], { type: 'image/jpeg' }), 'big.jpg');
    const big = await upload(tooBig);
    expect(big.status).toBe(413);
    expect((await json(big)).error.code).toBe('PAYLOAD_TOO_LARGE');
    expect((await upload(form(), searchKey)).status).toBe(403);
  });

  it('streams an NDJSON feed and a CSV feed with an outcome per line', async () => {
    const before = await topicRecords();
    const ndjson = [
      ...Array.from({ length: 30 }, (_, i) =>
        JSON.stringify({
          externalId: `feed-${i}`,
          title: `Feed item ${i}`,
          imageUrl: images.url(`/p/${i}.jpg`),
        }),
      ),
      '',
      '{"externalId": "broken",',
      JSON.stringify({ externalId: 'feed-no-title', imageUrl: images.url('/p/1.jpg') }),
      JSON.stringify({
        externalId: 'feed-ssrf',
        title: 'x',
        imageUrl: 'http://169.254.169.254/latest/meta-data/',
      }),
    ].join('\n');
    const feed = await sendFeed('application/x-ndjson', ndjson);
    expect(feed.status).toBe(200);
    expect(feed.type).toContain('application/x-ndjson');
    expect(feed.summary).toEqual({ lines: 33, accepted: 30, unchanged: 0, rejected: 3 });
    expect(feed.results.find((r) => r.line === 32)).toMatchObject({
      outcome: 'rejected',
      error: { code: 'INVALID_JSON' },
    });
    expect(feed.results.find((r) => r.line === 33)).toMatchObject({
      outcome: 'rejected',
      error: { code: 'INVALID_FIELD', field: 'title' },
    });
    expect(feed.results.find((r) => r.line === 34)).toMatchObject({
      outcome: 'rejected',
      error: { code: 'URL_ADDRESS_FORBIDDEN' },
    });
    // The same photos as sku-0…29: accepted, and marked as near duplicates of them.
    expect(
      feed.results.filter((r) => r.outcome === 'accepted').every((r) => typeof r.duplicateOf === 'string'),
    ).toBe(true);
    expect((await topicRecords()) - before).toBe(30);

    const again = await sendFeed('application/x-ndjson', ndjson);
    expect(again.summary).toMatchObject({ accepted: 0, unchanged: 30, rejected: 3 });

    const csv = [
      'externalId,title,price,currency,imageUrl,attr.colour',
      ...Array.from(
        { length: 5 },
        (_, i) => `csv-${i},"CSV item, ${i}",${i}.5,EUR,${images.url(`/p/${40 + i}.jpg`)},blue`,
      ),
    ].join('\n');
    const csvFeed = await sendFeed('text/csv', csv);
    expect(csvFeed.summary).toEqual({ lines: 5, accepted: 5, unchanged: 0, rejected: 0 });
    const stored = await json(
      await fetch(`${app.url}/v1/items/csv-2`, { headers: { authorization: `Bearer ${key}` } }),
    );
    expect(stored).toMatchObject({ title: 'CSV item, 2', status: 'queued' });

    const wrongType = await fetch(`${app.url}/v1/feeds`, {
      method: 'POST',
      headers: { 'content-type': 'application/xml', authorization: `Bearer ${key}` },
      body: '<x/>',
    });
    expect(wrongType.status).toBe(415);
  });

  it('streams a 100,000-line feed of about 210 MB with bounded memory', async () => {
    // Its own ingest process, with the JavaScript heap capped at 96 MB, below the feed's size: an ingest that
    // held the feed would run out of memory. The cap also makes V8 collect the lines' garbage as it
    // goes (uncapped, it lets ~100 MB of dead lines pile up before a full GC), so RSS shows what is
    // kept, not when the collector ran.
    const lean = await startApp('ingest', {
      ...env(),
      NODE_OPTIONS: '--max-old-space-size=96',
    });
    const rss = () =>
      Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${lean.child.pid}/status`, 'utf8'))![1]) * 1024;
    const baseline = rss();
    let peak = baseline;
    const sampler = setInterval(() => (peak = Math.max(peak, rss())), 50);
    const description = 'd'.repeat(2_000);
    async function* lines() {
      for (let i = 0; i < 100_000; i++)
        yield `${JSON.stringify({ externalId: `big-${i}`, title: '', description })}\n`;
    }
    try {
      const feed = await sendFeed(
        'application/x-ndjson',
        Readable.toWeb(Readable.from(lines())) as ReadableStream,
        lean,
      );
      expect(feed.summary).toEqual({ lines: 100_000, accepted: 0, unchanged: 0, rejected: 100_000 });
      expect(feed.results).toHaveLength(100_000);
    } finally {
      clearInterval(sampler);
      await lean.stop();
    }
    console.log(
      `feed of 100,000 lines (~210 MB): ingest RSS ${(baseline / 2 ** 20).toFixed(0)} MB before, peak ${(peak / 2 ** 20).toFixed(0)} MB`,
    );
    expect(peak - baseline).toBeLessThan(150 * 2 ** 20);
  });

  it('names a rejected batch element by its index and still accepts the others', async () => {
    const image = (await gradientImage(240, 180).jpeg().toBuffer()).toString('base64');
    const res = await post('/v1/items', [
      { externalId: 'mix-0', title: 'Good', imageBase64: image },
      { externalId: 'mix-1', imageBase64: image },
      { externalId: 'mix-0', title: 'Again', imageBase64: image },
    ]);
    expect(res.status).toBe(202);
    const body = await json(res);
    expect(body).toMatchObject({ accepted: 1, rejected: 2 });
    expect(body.results[1].error).toMatchObject({ code: 'INVALID_FIELD', field: 'items[1].title' });
    expect(body.results[2].error).toMatchObject({
      code: 'DUPLICATE_EXTERNAL_ID',
      field: 'items[2].externalId',
    });
  });

  it('exports ingest metrics: items by route and outcome, bytes, latencies, requests by route template', async () => {
    const text = await (await fetch(`${app.url}/metrics`)).text();
    const value = (pattern: RegExp) => Number(pattern.exec(text)?.[1] ?? NaN);
    expect(
      value(/catalens_ingest_items_total\{route="items",outcome="accepted",code="",app="ingest"\} (\d+)/),
    ).toBeGreaterThanOrEqual(60);
    expect(
      value(/catalens_ingest_items_total\{route="feed",outcome="accepted",code="",app="ingest"\} (\d+)/),
    ).toBeGreaterThanOrEqual(35);
    expect(
      value(/catalens_ingest_items_total\{route="upload",outcome="accepted",code="",app="ingest"\} (\d+)/),
    ).toBeGreaterThanOrEqual(1);
    expect(value(/catalens_ingest_image_bytes_total\{route="items",app="ingest"\} (\d+)/)).toBeGreaterThan(
      1_000_000,
    );
    expect(value(/catalens_ingest_fetch_seconds_count\{app="ingest"\} (\d+)/)).toBeGreaterThan(0);
    expect(value(/catalens_ingest_normalize_seconds_count\{app="ingest"\} (\d+)/)).toBeGreaterThan(0);
    expect(value(/catalens_ingest_produce_seconds_count\{app="ingest"\} (\d+)/)).toBeGreaterThan(0);
    expect(text).toMatch(
      /catalens_http_requests_total\{method="POST",route="\/v1\/items",status="202",app="ingest"\} \d+/,
    );
    expect(text).toMatch(
      /catalens_http_requests_total\{method="GET",route="\/v1\/items\/:externalId",status="200",app="ingest"\} \d+/,
    );
  });

  it('answers auth problems with 401 and 403', async () => {
    const body = { externalId: 'a', title: 'x', imageUrl: images.url('/p/0.jpg') };
    expect((await post('/v1/items', body, null)).status).toBe(401);
    expect((await post('/v1/items', body, 'clk_AAAAAAAAAA_BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB')).status).toBe(
      401,
    );
    const forbidden = await post('/v1/items', body, searchKey);
    expect(forbidden.status).toBe(403);
    expect((await json(forbidden)).error.code).toBe('API_KEY_FORBIDDEN');
  });

  it.each([
    [
      'a missing title',
      async () => ({ externalId: 'b1', imageBase64: 'AAAA' }),
      400,
      'INVALID_FIELD',
      'title',
    ],
    [
      'a wrong field type',
      async () => ({ externalId: 'b2', title: 'x', price: 'cheap', imageBase64: 'AAAA' }),
      400,
      'INVALID_FIELD',
      'price',
    ],
    [
      'an unknown field',
      async () => ({ externalId: 'b3', title: 'x', colour: 'red', imageBase64: 'AAAA' }),
      400,
      'INVALID_FIELD',
      undefined,
    ],
    [
      'both image fields',
      async () => ({
        externalId: 'b4',
        title: 'x',
        imageBase64: 'AAAA',
        imageUrl: 'http://example.com/a.jpg',
      }),
      400,
      'INVALID_FIELD',
      'imageUrl',
    ],
    [
      'a private-network URL',
      async () => ({ externalId: 'b5', title: 'x', imageUrl: 'http://10.1.2.3/a.jpg' }),
      400,
      'URL_ADDRESS_FORBIDDEN',
      'imageUrl',
    ],
    [
      'a file:// URL',
      async () => ({ externalId: 'b6', title: 'x', imageUrl: 'file:///etc/passwd' }),
      400,
      'URL_SCHEME_NOT_ALLOWED',
      'imageUrl',
    ],
    [
      'HTML posing as an image',
      async () => ({
        externalId: 'b7',
        title: 'x',
        imageBase64: Buffer.from('<html><body>hi</body></html>').toString('base64'),
      }),
      415,
      'IMAGE_UNSUPPORTED_TYPE',
      'image',
    ],
    [
      'a 1×1 image',
      async () => ({
        externalId: 'b8',
        title: 'x',
        imageBase64: (await gradientImage(1, 1).png().toBuffer()).toString('base64'),
      }),
      422,
      'IMAGE_TOO_SMALL',
      'image',
    ],
    [
      'a PNG pixel bomb',
      async () => ({ externalId: 'b9', title: 'x', imageBase64: (await pngPixelBomb()).toString('base64') }),
      413,
      'IMAGE_TOO_MANY_PIXELS',
      'image',
    ],
    [
      'an animated GIF',
      async () => ({ externalId: 'b10', title: 'x', imageBase64: (await animatedGif()).toString('base64') }),
      415,
      'IMAGE_ANIMATED',
      'image',
    ],
    [
      'a URL that 404s',
      async () => ({ externalId: 'b11', title: 'x', imageUrl: images.url('/missing.jpg') }),
      422,
      'FETCH_HTTP_ERROR',
      'imageUrl',
    ],
  ])('rejects %s with a clear error', async (_what, build, status, code, field) => {
    const res = await post('/v1/items', await build());
    expect(res.status).toBe(status);
    const body = await json(res);
    expect(body.error.code).toBe(code);
    expect(body.error.message.length).toBeGreaterThan(10);
    if (field) expect(body.error.field).toBe(field);
  });

  it('rejects malformed JSON and oversized bodies, and stays up', async () => {
    const malformed = await post('/v1/items', undefined, key, '{"externalId": ');
    expect(malformed.status).toBe(400);
    expect((await json(malformed)).error.message).toMatch(/not valid JSON/);
    const huge = await post('/v1/items', {
      externalId: 'big',
      title: 'x'.repeat(10 * 1024 * 1024),
      imageBase64: 'AAAA',
    });
    expect(huge.status).toBe(413);
    expect((await fetch(`${app.url}/healthz`)).status).toBe(200);
  });
});

describe('ingest when Kafka is down', () => {
  it('answers 503 with Retry-After, leaves the item received, and accepts it once the broker is back', async () => {
    const port = 19292;
    await privateBroker(port, 'up');
    const db = await freshDatabase('ingest_outage');
    const key = (await seedTenant(db.url, 'shop', [['ingest']])).keys[0]!;
    const topic = uniqueName('test.outage');
    const app = await startApp('ingest', {
      ...ingestEnv({ databaseUrl: db.url, topic, brokers: `127.0.0.1:${port}` }),
      KAFKA_PUBLISH_TIMEOUT_MS: '3000',
    });
    const body = JSON.stringify({
      externalId: 'o1',
      title: 'Outage shoe',
      imageBase64: (await gradientImage(300, 200).jpeg().toBuffer()).toString('base64'),
    });
    const send = () =>
      fetch(`${app.url}/v1/items`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
        body,
      });
    const pg = new Client({ connectionString: db.url });
    await pg.connect();
    try {
      await waitFor(
        'ready',
        async () => ((await fetch(`${app.url}/readyz`)).status === 200 ? true : undefined),
        30_000,
      );
      await privateBroker(port, 'down');
      const refused = await send();
      expect(refused.status).toBe(503);
      expect(refused.headers.get('retry-after')).toBe('5');
      expect((await json(refused)).error.code).toBe('BROKER_UNAVAILABLE');
      expect((await pg.query("SELECT status FROM items WHERE external_id = 'o1'")).rows).toEqual([
        { status: 'received' },
      ]);

      await privateBroker(port, 'up');
      const accepted = await waitFor(
        'a 202 after the broker is back',
        async () => ((await send()).status === 202 ? true : undefined),
        60_000,
        1_000,
      );
      expect(accepted).toBe(true);
      expect((await pg.query("SELECT status FROM items WHERE external_id = 'o1'")).rows).toEqual([
        { status: 'queued' },
      ]);
    } finally {
      await pg.end();
      await app.stop();
      await privateBroker(port, 'down');
      await db.drop();
    }
  });
});
