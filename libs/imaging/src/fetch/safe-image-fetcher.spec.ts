import { TestImageServer } from '../../../../test/support/image-server';
import { ImageFetchError } from './fetch-errors';
import { SafeImageFetcher } from './safe-image-fetcher';

const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 4]);

const failure = async (promise: Promise<unknown>): Promise<ImageFetchError> => {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ImageFetchError) return error;
    throw error;
  }
  throw new Error('expected the fetch to fail');
};

describe('SafeImageFetcher', () => {
  const server = new TestImageServer();
  let allowed: SafeImageFetcher;
  let guarded: SafeImageFetcher;

  beforeAll(async () => {
    await server.start();
    server.serve('/shoe.jpg', JPEG);
    server.routes.set('/redirect', (_q, res) => res.writeHead(302, { location: '/shoe.jpg' }).end());
    server.routes.set('/loop', (_q, res) => res.writeHead(302, { location: '/loop' }).end());
    server.routes.set('/to-metadata', (_q, res) =>
      res.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data/' }).end(),
    );
    server.routes.set('/to-file', (_q, res) => res.writeHead(302, { location: 'file:///etc/passwd' }).end());
    server.routes.set('/big', (_q, res) =>
      res.writeHead(200, { 'content-type': 'image/jpeg' }).end(Buffer.alloc(5000, 1)),
    );
    server.routes.set('/slow', () => undefined);
    let flaky = 0;
    server.routes.set('/flaky', (_q, res) =>
      ++flaky % 2 === 1 ? res.writeHead(503).end() : res.writeHead(200).end(JPEG),
    );
    server.routes.set('/gone', (_q, res) => res.writeHead(404).end());
    allowed = new SafeImageFetcher({
      allowCidrs: ['127.0.0.1/32'],
      maxBytes: 1000,
      readTimeoutMs: 300,
      retries: 2,
    });
    guarded = new SafeImageFetcher({ readTimeoutMs: 300 });
  });

  afterAll(async () => {
    await Promise.all([allowed.close(), guarded.close()]);
    await server.stop();
  });

  it('fetches an image from an allow-listed loopback server', async () => {
    const fetched = await allowed.fetch(server.url('/shoe.jpg'));
    expect(fetched.bytes.equals(JPEG)).toBe(true);
    expect(fetched.contentType).toBe('image/jpeg');
  });

  it('follows a redirect and re-checks its target', async () => {
    expect((await allowed.fetch(server.url('/redirect'))).finalUrl).toBe(server.url('/shoe.jpg'));
    expect((await failure(allowed.fetch(server.url('/to-metadata')))).code).toBe('URL_ADDRESS_FORBIDDEN');
    expect((await failure(allowed.fetch(server.url('/to-file')))).code).toBe('URL_SCHEME_NOT_ALLOWED');
  });

  it('stops after 3 redirects', async () => {
    expect((await failure(allowed.fetch(server.url('/loop')))).code).toBe('FETCH_TOO_MANY_REDIRECTS');
  });

  it('stops reading past the byte cap', async () => {
    expect((await failure(allowed.fetch(server.url('/big')))).code).toBe('FETCH_TOO_LARGE');
  });

  it('times out a server that never answers', async () => {
    const error = await failure(allowed.fetch(server.url('/slow')));
    expect(error.code).toBe('FETCH_TIMEOUT');
  });

  it('retries a 5xx and succeeds, but does not retry a 404', async () => {
    expect((await allowed.fetch(server.url('/flaky'))).bytes.equals(JPEG)).toBe(true);
    const before = server.hits.get('/gone') ?? 0;
    expect((await failure(allowed.fetch(server.url('/gone')))).code).toBe('FETCH_HTTP_ERROR');
    expect(server.hits.get('/gone')! - before).toBe(1);
  });

  describe('with the allow-list off (SSRF guard)', () => {
    it.each([
      ['loopback IPv4', 'http://127.0.0.1:PORT/shoe.jpg'],
      ['loopback IPv6', 'http://[::1]:PORT/shoe.jpg'],
      ['IPv4-mapped loopback', 'http://[::ffff:127.0.0.1]:PORT/shoe.jpg'],
      ['a private 10.x address', 'http://10.0.0.8/x.jpg'],
      ['a private 192.168.x address', 'http://192.168.1.1/x.jpg'],
      ['a private 172.16.x address', 'http://172.20.0.1/x.jpg'],
      ['the cloud metadata endpoint', 'http://169.254.169.254/latest/meta-data/'],
      ['a unique-local IPv6 address', 'http://[fd00::1]/x.jpg'],
      ['a link-local IPv6 address', 'http://[fe80::1]/x.jpg'],
      ['the unspecified address', 'http://0.0.0.0:PORT/x.jpg'],
      ['a multicast address', 'http://224.0.0.1/x.jpg'],
      ['a decimal-encoded loopback', 'http://2130706433:PORT/shoe.jpg'],
      ['a hostname that resolves to loopback', 'http://localhost:PORT/shoe.jpg'],
    ])('refuses %s', async (_what, url) => {
      const error = await failure(guarded.fetch(url.replace('PORT', String(server.port))));
      expect(error.code).toBe('URL_ADDRESS_FORBIDDEN');
      expect(error.status).toBe(400);
      expect(error.message).toMatch(/public addresses/);
    });

    it('refuses a public-looking redirect chain that ends on loopback', async () => {
      const error = await failure(guarded.fetch(server.url('/redirect', 'localhost')));
      expect(error.code).toBe('URL_ADDRESS_FORBIDDEN');
    });

    it.each([
      ['file://', 'file:///etc/passwd', 'URL_SCHEME_NOT_ALLOWED'],
      ['gopher://', 'gopher://127.0.0.1:70/_x', 'URL_SCHEME_NOT_ALLOWED'],
      ['ftp://', 'ftp://example.com/a.jpg', 'URL_SCHEME_NOT_ALLOWED'],
      ['data:', 'data:image/png;base64,AAAA', 'URL_SCHEME_NOT_ALLOWED'],
      ['a relative path', '/etc/passwd', 'URL_INVALID'],
      ['credentials in the URL', 'http://user:pw@example.com/a.jpg', 'URL_INVALID'],
    ])('refuses %s', async (_what, url, code) => {
      expect((await failure(guarded.fetch(url))).code).toBe(code);
    });
  });
});
