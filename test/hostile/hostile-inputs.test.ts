import { type Server, type Socket, createServer } from 'node:net';
import { Kafka, logLevel } from 'kafkajs';
import { Client } from 'pg';
import {
  type Expectation,
  type HostileCase,
  type HostileContext,
  type Transport,
  families,
} from '../fixtures/hostile/families';
import type { AppProcess } from '../support/app-process';
import { TestImageServer } from '../support/image-server';
import { PipelineHarness, catalogPhotos } from '../support/pipeline';
import { kafkaBrokers, waitFor } from '../support/services';

jest.setTimeout(300_000);

const MAX_INGEST_BODY = 4 * 1024 * 1024;
const MAX_GRAPHQL_BODY = 1024 * 1024;
const FAMILIES = families();
const TOTAL = FAMILIES.reduce((n, f) => n + f.cases.length, 0);

/** What the apps send back, as far as the checks read it. */
interface ErrorBody {
  code?: string;
  field?: string;
  message?: string;
}
interface ResultLine {
  line?: number;
  status?: number;
  error?: ErrorBody;
  results?: ResultLine[];
  summary?: { stopped?: ErrorBody };
}

interface Answer {
  http: number;
  status: number;
  code?: string;
  field?: string;
  message?: string;
}

/**
 * The hostile-input suite: every generated case (test/fixtures/hostile) against the real apps —
 * ingest, embedder and GraphQL as their own processes on real Kafka and PostgreSQL. Each case
 * must get its status, code, field and a message naming the problem; a refused input leaves no
 * row and no Kafka record; after each family a real photo still goes all the way to the index;
 * and no client input makes any app log an error or answer 5xx.
 */
describe(`hostile inputs (${TOTAL} generated cases in ${FAMILIES.length} families, real apps)`, () => {
  const harness = new PipelineHarness();
  const redirector = new TestImageServer();
  let graphql: AppProcess;
  let embedder: AppProcess;
  let listener: Server;
  const connections: string[] = [];
  const open = new Set<Socket>();
  let pg: Client;
  const admin = new Kafka({ brokers: kafkaBrokers(), logLevel: logLevel.NOTHING }).admin();
  let controls = 0;
  const controlPhotos: Buffer[] = [];
  const ctx: HostileContext = {
    redirectTo: (target) => `${redirector.url('/302')}?to=${encodeURIComponent(target)}`,
    forbiddenPort: 0,
    maxIngestBodyBytes: MAX_INGEST_BODY,
    maxGraphqlBodyBytes: MAX_GRAPHQL_BODY,
  };

  beforeAll(async () => {
    listener = createServer((socket) => {
      connections.push(`${socket.remoteAddress}`);
      open.add(socket);
      socket.on('close', () => open.delete(socket));
      socket.destroy();
    });
    await new Promise<void>((r) => listener.listen({ port: 0, host: '::', ipv6Only: false }, r));
    ctx.forbiddenPort = (listener.address() as { port: number }).port;
    await redirector.start('127.0.0.3');
    redirector.routes.set('/302', (req, res) =>
      res.writeHead(302, { location: new URL(req.url!, 'http://x').searchParams.get('to')! }).end(),
    );
    await harness.start({
      storeServer: true,
      ingestEnv: {
        INGEST_FETCH_ALLOW_CIDRS: '127.0.0.3/32',
        INGEST_MAX_BODY_BYTES: String(MAX_INGEST_BODY),
        INGEST_FETCH_TIMEOUT_MS: '2000',
      },
    });
    [embedder, graphql] = await Promise.all([
      harness.startEmbedder(),
      harness.startGraphql({
        GRAPHQL_FETCH_ALLOW_CIDRS: '127.0.0.3/32',
        GRAPHQL_MAX_BODY_BYTES: String(MAX_GRAPHQL_BODY),
        GRAPHQL_FETCH_TIMEOUT_MS: '2000',
      }),
    ]);
    pg = new Client({ connectionString: harness.db.url });
    await pg.connect();
    await admin.connect();
    controlPhotos.push(...(await catalogPhotos(FAMILIES.length)).map((p) => p.bytes));
  });

  afterAll(async () => {
    await pg?.end();
    await admin.disconnect();
    await harness.stop();
    for (const socket of open) socket.destroy();
    await new Promise((r) => listener?.close(r));
    await redirector.stop();
  });

  const rows = async () => Number((await pg.query('SELECT count(*) AS n FROM items')).rows[0].n);
  const published = async () =>
    (await admin.fetchTopicOffsets(harness.topic)).reduce((n, p) => n + Number(p.high), 0);

  async function send(app: 'ingest' | 'graphql', t: Transport): Promise<Answer> {
    const base = app === 'ingest' ? harness.ingest.url : graphql.url;
    const auth = { authorization: `Bearer ${app === 'ingest' ? harness.ingestKey : harness.searchKey}` };
    let res: Response;
    if (t.kind === 'json' || t.kind === 'raw') {
      res = await fetch(`${base}${t.path ?? '/v1/items'}`, {
        method: 'POST',
        headers: { ...auth, 'content-type': t.kind === 'raw' ? t.contentType : 'application/json' },
        body: t.kind === 'raw' ? t.body : JSON.stringify(t.body),
      });
    } else if (t.kind === 'upload') {
      const form = new FormData();
      for (const [name, value] of Object.entries(t.fields)) form.set(name, value);
      form.set('image', new Blob([t.file]), 'probe.jpg');
      res = await fetch(`${base}/v1/items/upload`, { method: 'POST', headers: auth, body: form });
    } else if (t.kind === 'feed') {
      res = await fetch(`${base}/v1/feeds`, {
        method: 'POST',
        headers: { ...auth, 'content-type': t.contentType },
        body: t.body,
      });
      const lines = (await res.text())
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as ResultLine);
      const first = lines.find((l) => 'line' in l);
      const stopped = lines.at(-1)?.summary?.stopped;
      if (first) return { http: res.status, status: first.status ?? 0, ...first.error };
      return { http: res.status, status: res.status, ...stopped };
    } else {
      res = await fetch(`${base}/graphql`, {
        method: 'POST',
        headers: { ...auth, 'content-type': t.contentType ?? 'application/json' },
        body: t.kind === 'graphql-raw' ? t.body : JSON.stringify(t.body),
      });
      const body = (await res.json()) as {
        errors?: { message: string; extensions?: Record<string, string> }[];
      };
      const error = body.errors?.[0];
      return {
        http: res.status,
        status: res.status,
        code: error?.extensions?.code,
        field: error?.extensions?.field,
        message: error?.message,
      };
    }
    const body = (await res.json()) as ResultLine;
    const error = Array.isArray(body.results) ? body.results[0]?.error : body.error;
    const status = Array.isArray(body.results) ? (body.results[0]?.status ?? 0) : res.status;
    return { http: res.status, status, code: error?.code, field: error?.field, message: error?.message };
  }

  function check(answer: Answer, expected: Expectation): void {
    const statuses = Array.isArray(expected.status) ? expected.status : [expected.status];
    expect(answer.http).toBeLessThan(500);
    expect(statuses).toContain(answer.status);
    if (typeof expected.code === 'string') expect(answer.code).toBe(expected.code);
    else expect(answer.code).toMatch(expected.code);
    if (expected.field) expect(answer.field).toBe(expected.field);
    expect(answer.message).toMatch(expected.mentions);
  }

  /** A real photo through ingest → Kafka → embedder → store; waits until it is indexed. */
  async function controlItemIsIndexed(): Promise<void> {
    const externalId = `control-${++controls}`;
    const res = await fetch(`${harness.ingest.url}/v1/items`, {
      method: 'POST',
      headers: { authorization: `Bearer ${harness.ingestKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        externalId,
        title: `Control item ${controls}`,
        imageBase64: controlPhotos[controls - 1]!.toString('base64'),
      }),
    });
    expect(res.status).toBe(202);
    await waitFor(
      `${externalId} indexed`,
      async () =>
        (await pg.query("SELECT 1 FROM items WHERE external_id = $1 AND status = 'indexed'", [externalId]))
          .rowCount === 1
          ? true
          : undefined,
      120_000,
      250,
    );
  }

  describe.each(FAMILIES.map((f) => [f.name, f] as const))('%s', (_name, family) => {
    let before: { rows: number; published: number };
    beforeAll(async () => {
      before = { rows: await rows(), published: await published() };
    });

    it.each(family.cases.map((c) => [c.name, c] as const))('%s', async (_case, hostile: HostileCase) => {
      const answer = await send(family.app, await hostile.build(ctx));
      check(answer, hostile.expect);
      expect(await rows()).toBe(before.rows);
    });

    it('recorded and published nothing, reached no local address, and a real photo is still indexed after it', async () => {
      expect({ rows: await rows(), published: await published() }).toEqual(before);
      expect(connections).toEqual([]);
      await controlItemIsIndexed();
    });
  });

  it('no app logged an error or a stack trace for any of it, and all are still up', async () => {
    for (const app of [harness.ingest, graphql, embedder]) {
      expect((await fetch(`${app.url}/healthz`)).status).toBe(200);
      const errors = app
        .output()
        .split('\n')
        .filter((line) => /"level":(50|60)/.test(line) || /\n\s+at /.test(line));
      expect(errors).toEqual([]);
    }
  });
});
