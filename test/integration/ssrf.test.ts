import { type Server, type Socket, createServer } from 'node:net';
import { Client } from 'pg';
import { ipv4Forms, ipv4ToInt, ipv6FormsReaching, urlHost } from '../fixtures/address-forms';
import { type AppProcess, ingestEnv, startApp } from '../support/app-process';
import { type TestDatabase, freshDatabase } from '../support/databases';
import { TestImageServer } from '../support/image-server';
import { uniqueName } from '../support/services';
import { TEST_PEPPER, seedTenant } from '../support/tenants';

jest.setTimeout(180_000);

/**
 * SSRF end to end: a real listener on every local address (`::`, dual-stack, so 127.0.0.1, the
 * rest of 127/8, ::1 and the host's own addresses all land on it) and every way to spell a local
 * address in an image URL, directly and behind a 302 from an allow-listed server, sent to the
 * running ingest (`imageUrl`) and GraphQL (`similarItems(imageUrl:)`). The listener must see no
 * connection at all, every request must be refused with URL_ADDRESS_FORBIDDEN, and nothing may be
 * recorded.
 */
describe('image URLs cannot reach the local network (real ingest and GraphQL, real listener)', () => {
  let db: TestDatabase;
  let ingest: AppProcess;
  let graphql: AppProcess;
  let ingestKey: string;
  let searchKey: string;
  let listener: Server;
  let port = 0;
  const connections: string[] = [];
  const open = new Set<Socket>();
  // The redirector lives on 127.0.0.3, the only allow-listed address.
  const redirector = new TestImageServer();

  const hosts = (): string[] =>
    [
      ...ipv4Forms(ipv4ToInt('127.0.0.1')),
      ...ipv4Forms(ipv4ToInt('127.1.2.3')),
      ...ipv4Forms(0).slice(0, 6), // 0.0.0.0 connects to the local host on Linux
      ...ipv6FormsReaching(ipv4ToInt('127.0.0.1')),
      '::1',
      '0:0:0:0:0:0:0:1',
      '::',
    ]
      .map(urlHost)
      .concat(['localhost', 'LOCALHOST']);
  const targets = (): string[] => {
    const direct = hosts().map((h) => `http://${h}:${port}/x.jpg`);
    const redirected = direct.map((url) => `${redirector.url('/302')}?to=${encodeURIComponent(url)}`);
    return [...direct, ...redirected];
  };

  beforeAll(async () => {
    listener = createServer((socket) => {
      connections.push(`${socket.remoteAddress} → ${socket.localAddress}:${socket.localPort}`);
      open.add(socket);
      socket.on('close', () => open.delete(socket));
      socket.end('HTTP/1.1 200 OK\r\ncontent-type: image/jpeg\r\ncontent-length: 4\r\n\r\n\xff\xd8\xff\xd9');
    });
    await new Promise<void>((r) => listener.listen({ port: 0, host: '::', ipv6Only: false }, r));
    port = (listener.address() as { port: number }).port;

    await redirector.start('127.0.0.3');
    redirector.routes.set('/302', (req, res) => {
      const to = new URL(req.url!, 'http://x').searchParams.get('to')!;
      res.writeHead(302, { location: to }).end();
    });

    db = await freshDatabase('ssrf');
    const tenant = await seedTenant(db.url, 'ssrf', [['ingest'], ['search']]);
    [ingestKey, searchKey] = tenant.keys as [string, string];
    [ingest, graphql] = await Promise.all([
      startApp('ingest', {
        ...ingestEnv({ databaseUrl: db.url, topic: uniqueName('test.ssrf') }),
        INGEST_FETCH_ALLOW_CIDRS: '127.0.0.3/32',
      }),
      startApp('graphql', {
        DATABASE_URL: db.url,
        API_KEY_PEPPER: TEST_PEPPER,
        GRAPHQL_FETCH_ALLOW_CIDRS: '127.0.0.3/32',
      }),
    ]);
  });

  afterAll(async () => {
    await Promise.all([ingest?.stop(), graphql?.stop()]);
    for (const socket of open) socket.destroy();
    await new Promise((r) => listener?.close(r));
    await redirector.stop();
    await db?.drop();
  });

  it('the listener is reachable, so a zero count below means something', async () => {
    const res = await fetch(`http://127.0.0.1:${port}/x.jpg`);
    expect(res.status).toBe(200);
    await res.arrayBuffer();
    expect(connections).toHaveLength(1);
    connections.length = 0;
  });

  it('ingest refuses every local form of imageUrl, direct and redirected, and records nothing', async () => {
    const answers: string[] = [];
    for (const url of targets()) {
      const res = await fetch(`${ingest.url}/v1/items`, {
        method: 'POST',
        headers: { authorization: `Bearer ${ingestKey}`, 'content-type': 'application/json' },
        body: JSON.stringify({ externalId: uniqueName('ssrf'), title: 'SSRF probe', imageUrl: url }),
      });
      const body = (await res.json()) as { error?: { code?: string; field?: string } };
      answers.push(`${res.status} ${body.error?.code} ${body.error?.field} ← ${url}`);
    }
    expect(answers.filter((a) => !a.startsWith('400 URL_ADDRESS_FORBIDDEN imageUrl'))).toEqual([]);
    expect(connections).toEqual([]);
    const pg = new Client({ connectionString: db.url });
    await pg.connect();
    try {
      expect((await pg.query('SELECT count(*)::int AS n FROM items')).rows[0].n).toBe(0);
    } finally {
      await pg.end();
    }
  });

  it('similarItems(imageUrl:) refuses every local form, direct and redirected', async () => {
    const answers: string[] = [];
    for (const url of targets()) {
      const res = await fetch(`${graphql.url}/graphql`, {
        method: 'POST',
        headers: { authorization: `Bearer ${searchKey}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          query: 'query($u: String) { similarItems(imageUrl: $u, first: 3) { score } }',
          variables: { u: url },
        }),
      });
      const body = (await res.json()) as {
        errors?: { message: string; extensions?: { code?: string; field?: string } }[];
      };
      const error = body.errors?.[0];
      const refused =
        error?.extensions?.code === 'BAD_USER_INPUT' &&
        error.extensions.field === 'imageUrl' &&
        /public addresses/.test(error.message);
      answers.push(`${refused ? 'refused' : 'NOT refused'} ${error?.message ?? ''} ← ${url}`);
    }
    expect(answers.filter((a) => !a.startsWith('refused'))).toEqual([]);
    expect(connections).toEqual([]);
  });
});
