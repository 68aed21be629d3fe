import { readFileSync } from 'node:fs';
import { BAD_INPUT_CORPUS, type CorpusContext, type CorpusRequest } from '../fixtures/bad-inputs/corpus';
import { type AppProcess, ingestEnv, startApp } from '../support/app-process';
import { type TestDatabase, freshDatabase } from '../support/databases';
import { TestImageServer } from '../support/image-server';
import { uniqueName } from '../support/services';
import { seedTenant } from '../support/tenants';

jest.setTimeout(120_000);

const MAX_IMAGE_BYTES = 2 * 1024 * 1024;
const MAX_BODY_BYTES = 8 * 1024 * 1024;

/**
 * Every case of the corpus against the running ingest service (real Kafka and PostgreSQL): the
 * right status and code, a message worth reading, the process up, its memory bounded.
 */
describe(`ingest bad-input corpus (${BAD_INPUT_CORPUS.length} cases)`, () => {
  let db: TestDatabase;
  let app: AppProcess;
  let key: string;
  let baselineRss = 0;
  let peakRss = 0;
  let sampler: NodeJS.Timeout;
  // The image server lives on 127.0.0.3, the only address allow-listed: other loopback
  // addresses and `localhost` stay forbidden, as on a production host.
  const server = new TestImageServer();
  const ctx: CorpusContext = {
    url: (path, host) => server.url(path, host),
    maxImageBytes: MAX_IMAGE_BYTES,
    maxBodyBytes: MAX_BODY_BYTES,
  };
  const rss = () =>
    Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${app.child.pid}/status`, 'utf8'))![1]) * 1024;

  beforeAll(async () => {
    await server.start('127.0.0.3');
    server.serve('/ok.jpg', Buffer.from([0xff, 0xd8, 0xff, 0xd9]));
    server.routes.set('/redirect-to-loopback', (_q, res) =>
      res.writeHead(302, { location: server.url('/ok.jpg', '127.0.0.2') }).end(),
    );
    server.routes.set('/redirect-to-metadata', (_q, res) =>
      res.writeHead(301, { location: 'http://169.254.169.254/latest/' }).end(),
    );
    server.routes.set('/redirect-loop', (_q, res) =>
      res.writeHead(307, { location: '/redirect-loop' }).end(),
    );
    server.routes.set('/always-500', (_q, res) => res.writeHead(500).end('boom'));
    server.routes.set('/hang', () => undefined);
    server.routes.set('/huge', (_q, res) =>
      res.writeHead(200, { 'content-type': 'image/jpeg' }).end(Buffer.alloc(MAX_IMAGE_BYTES + 1024, 0xff)),
    );
    server.serve(
      '/html-as-jpeg',
      Buffer.from('<!DOCTYPE html><html><body>Login required</body></html>'),
      'image/jpeg',
    );
    db = await freshDatabase('bad_inputs');
    key = (await seedTenant(db.url, 'corpus', [['ingest']])).keys[0]!;
    const topic = uniqueName('test.corpus');
    app = await startApp('ingest', {
      ...ingestEnv({ databaseUrl: db.url, topic }),
      INGEST_FETCH_ALLOW_CIDRS: '127.0.0.3/32',
      INGEST_MAX_IMAGE_BYTES: String(MAX_IMAGE_BYTES),
      INGEST_MAX_BODY_BYTES: String(MAX_BODY_BYTES),
      INGEST_FETCH_TIMEOUT_MS: '1000',
    });
    baselineRss = peakRss = rss();
    sampler = setInterval(() => (peakRss = Math.max(peakRss, rss())), 25);
  });

  afterAll(async () => {
    clearInterval(sampler);
    await app?.stop();
    await server.stop();
    await db?.drop();
  });

  async function send(request: CorpusRequest): Promise<Response> {
    const auth = { authorization: `Bearer ${key}` };
    if (request.kind === 'json') {
      return fetch(`${app.url}/v1/items`, {
        method: 'POST',
        headers: { ...auth, 'content-type': 'application/json' },
        body: JSON.stringify(request.body),
      });
    }
    if (request.kind === 'raw') {
      return fetch(`${app.url}${request.path ?? '/v1/items'}`, {
        method: 'POST',
        headers: { ...auth, 'content-type': request.contentType },
        body: request.body,
      });
    }
    const form = new FormData();
    for (const [name, value] of Object.entries(request.fields)) form.set(name, value);
    if (request.file)
      form.set(request.file.field ?? 'image', new Blob([request.file.bytes]), request.file.name);
    return fetch(`${app.url}/v1/items/upload`, { method: 'POST', headers: auth, body: form });
  }

  it.each(BAD_INPUT_CORPUS.map((c) => [c.name, c] as const))('%s', async (_name, corpusCase) => {
    const res = await send(await corpusCase.build(ctx));
    const body = (await res.json()) as { error?: { code: string; message: string; field?: string } };
    expect({ status: res.status, code: body.error?.code, field: body.error?.field }).toMatchObject(
      corpusCase.expect,
    );
    if (corpusCase.expect.status >= 400) {
      expect(body.error?.message.length).toBeGreaterThan(15);
    }
  });

  it('is still up and kept its memory bounded', async () => {
    expect((await fetch(`${app.url}/healthz`)).status).toBe(200);
    const growth = peakRss - baselineRss;
    console.log(
      `bad-input corpus: ${BAD_INPUT_CORPUS.length} cases; ingest RSS ${(baselineRss / 2 ** 20).toFixed(0)} MB → peak ${(peakRss / 2 ** 20).toFixed(0)} MB, now ${(rss() / 2 ** 20).toFixed(0)} MB`,
    );
    expect(growth).toBeLessThan(300 * 2 ** 20);
  });
});
