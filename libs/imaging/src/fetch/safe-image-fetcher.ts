import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import type { LookupFunction } from 'node:net';
import {
  BulkheadRejectedError,
  ExponentialBackoff,
  bulkhead,
  handleWhen,
  retry,
  type BulkheadPolicy,
} from 'cockatiel';
import { Agent, buildConnector, errors as undiciErrors, request } from 'undici';
import { AddressPolicy, isIpLiteral } from './address-policy';
import { ImageFetchError } from './fetch-errors';

export interface FetchPolicyOptions {
  /** CIDRs that may be reached even though they are not public unicast (e.g. an internal CDN). */
  allowCidrs: string[];
  maxBytes: number;
  connectTimeoutMs: number;
  /** Bound on waiting for the response headers, and separately for the body. */
  readTimeoutMs: number;
  maxRedirects: number;
  /** Extra attempts after a timeout, a reset or a 5xx (never after a 4xx or a refusal). */
  retries: number;
  perHostConcurrency: number;
  totalConcurrency: number;
  userAgent: string;
}

export const DEFAULT_FETCH_POLICY: FetchPolicyOptions = {
  allowCidrs: [],
  maxBytes: 20 * 1024 * 1024,
  connectTimeoutMs: 3_000,
  readTimeoutMs: 10_000,
  maxRedirects: 3,
  retries: 2,
  perHostConcurrency: 4,
  totalConcurrency: 32,
  userAgent: 'catalens-image-fetcher/0.1 (+https://github.com/catalens)',
};

export interface FetchedImage {
  bytes: Buffer;
  finalUrl: string;
  /** As the server declared it; informational only (content is sniffed from bytes). */
  contentType: string | undefined;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/**
 * Fetches image bytes from URLs that clients supply, without letting them reach the inside of
 * the network (SSRF). Every hop is checked: the URL scheme, IP literals, and every address a
 * hostname resolves to — at connect time, through the socket's own DNS lookup, so a hostname
 * cannot resolve to a public address for the check and a private one for the connection.
 */
export class SafeImageFetcher {
  private readonly options: FetchPolicyOptions;
  private readonly policy: AddressPolicy;
  private readonly agent: Agent;
  private readonly total: BulkheadPolicy;
  private readonly perHost = new Map<string, BulkheadPolicy>();

  constructor(options: Partial<FetchPolicyOptions> = {}) {
    this.options = { ...DEFAULT_FETCH_POLICY, ...options };
    this.policy = new AddressPolicy(this.options.allowCidrs);
    this.agent = new Agent({
      connect: this.guardedConnector(
        buildConnector({ timeout: this.options.connectTimeoutMs, lookup: this.guardedLookup }),
      ),
      headersTimeout: this.options.readTimeoutMs,
      bodyTimeout: this.options.readTimeoutMs,
      connections: this.options.perHostConcurrency,
    });
    this.total = bulkhead(this.options.totalConcurrency, 10_000);
  }

  private readonly guardedLookup: LookupFunction = (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, '', 0);
      const list = addresses;
      const forbidden = list
        .map((a) => [a, this.policy.forbiddenRange(a.address)] as const)
        .filter(([, range]) => range);
      if (forbidden.length > 0) {
        const [address, range] = forbidden[0]!;
        const refusal = new ImageFetchError(
          'URL_ADDRESS_FORBIDDEN',
          `${hostname} resolves to ${address.address} (${range}); image URLs must point to public addresses`,
        );
        return callback(refusal, '', 0);
      }
      const first = list[0];
      if (!first) return callback(new Error(`${hostname} has no address`), '', 0);
      if ((options as { all?: boolean }).all)
        return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, list);
      callback(null, first.address, first.family);
    });
  };

  /**
   * The last line: whatever the URL and the resolver said, the peer a socket is actually connected
   * to is judged too, before a single request byte is written to it.
   */
  private guardedConnector(connect: buildConnector.connector): buildConnector.connector {
    return (options, callback) =>
      connect(options, (error, socket) => {
        if (error || !socket) return callback(error ?? new Error('no socket'), null);
        const peer = socket.remoteAddress ?? '';
        const range = this.policy.forbiddenRange(peer);
        if (!range) return callback(null, socket);
        socket.destroy();
        callback(
          new ImageFetchError(
            'URL_ADDRESS_FORBIDDEN',
            `${options.hostname} connected to ${peer} (${range}); image URLs must point to public addresses`,
          ),
          null,
        );
      });
  }

  private hostBulkhead(host: string): BulkheadPolicy {
    let policy = this.perHost.get(host);
    if (!policy) {
      policy = bulkhead(this.options.perHostConcurrency, 1_000);
      this.perHost.set(host, policy);
      // Bound the map: forget idle hosts once it grows.
      if (this.perHost.size > 10_000) {
        for (const [name, p] of this.perHost)
          if (p.executionSlots === this.options.perHostConcurrency) this.perHost.delete(name);
      }
    }
    return policy;
  }

  /** Parses and checks a URL without fetching it (the checks `fetch` runs on every hop). */
  checkUrl(raw: string): URL {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      throw new ImageFetchError('URL_INVALID', `"${raw.slice(0, 80)}" is not an absolute URL`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new ImageFetchError(
        'URL_SCHEME_NOT_ALLOWED',
        `the URL scheme ${url.protocol} is not allowed; use http or https`,
      );
    }
    if (url.username || url.password) {
      throw new ImageFetchError(
        'URL_INVALID',
        'URLs with credentials are not accepted; make the image public or upload it',
      );
    }
    const host = url.hostname.replace(/^\[|\]$/g, '');
    if (isIpLiteral(host)) {
      const range = this.policy.forbiddenRange(host);
      if (range)
        throw new ImageFetchError(
          'URL_ADDRESS_FORBIDDEN',
          `${host} is not a public address (${range}); image URLs must point to public addresses`,
        );
    }
    return url;
  }

  async fetch(rawUrl: string): Promise<FetchedImage> {
    const first = this.checkUrl(rawUrl);
    const attempt = retry(
      handleWhen((e) => e instanceof ImageFetchError && e.retryable),
      {
        maxAttempts: this.options.retries,
        backoff: new ExponentialBackoff({ initialDelay: 200, maxDelay: 2_000 }),
      },
    );
    try {
      return await this.total.execute(() =>
        this.hostBulkhead(first.host).execute(() =>
          attempt.execute(() => this.fetchFollowingRedirects(first)),
        ),
      );
    } catch (error) {
      if (error instanceof BulkheadRejectedError) {
        throw new ImageFetchError('FETCH_BUSY', 'too many image downloads are queued; retry shortly', true);
      }
      throw error;
    }
  }

  private async fetchFollowingRedirects(start: URL): Promise<FetchedImage> {
    let url = start;
    for (let hop = 0; ; hop++) {
      const response = await this.requestOnce(url);
      if (REDIRECTS.has(response.statusCode)) {
        await response.body.dump().catch(() => undefined);
        const location = response.headers.location;
        if (typeof location !== 'string')
          throw new ImageFetchError('FETCH_FAILED', `${url.host} answered a redirect without a Location`);
        if (hop >= this.options.maxRedirects) {
          throw new ImageFetchError(
            'FETCH_TOO_MANY_REDIRECTS',
            `more than ${this.options.maxRedirects} redirects starting at ${start.href.slice(0, 120)}`,
          );
        }
        url = this.checkUrl(new URL(location, url).href);
        continue;
      }
      if (response.statusCode >= 400) {
        await response.body.dump().catch(() => undefined);
        throw new ImageFetchError(
          'FETCH_HTTP_ERROR',
          `${url.href.slice(0, 120)} answered HTTP ${response.statusCode}`,
          response.statusCode >= 500 || response.statusCode === 429,
        );
      }
      const declared = Number(response.headers['content-length'] ?? NaN);
      if (declared > this.options.maxBytes) {
        await response.body.dump().catch(() => undefined);
        throw new ImageFetchError(
          'FETCH_TOO_LARGE',
          `the image is ${declared} bytes; the limit is ${this.options.maxBytes}`,
        );
      }
      const chunks: Buffer[] = [];
      let size = 0;
      for await (const chunk of response.body as AsyncIterable<Buffer>) {
        size += chunk.length;
        if (size > this.options.maxBytes) {
          response.body.destroy();
          throw new ImageFetchError(
            'FETCH_TOO_LARGE',
            `the image is over the ${this.options.maxBytes}-byte limit`,
          );
        }
        chunks.push(chunk);
      }
      const contentType = response.headers['content-type'];
      return {
        bytes: Buffer.concat(chunks),
        finalUrl: url.href,
        contentType: typeof contentType === 'string' ? contentType : undefined,
      };
    }
  }

  private async requestOnce(url: URL) {
    try {
      return await request(url, {
        dispatcher: this.agent,
        method: 'GET',
        headers: { 'user-agent': this.options.userAgent, accept: 'image/*' },
      });
    } catch (error) {
      throw this.classify(error, url);
    }
  }

  private classify(error: unknown, url: URL): ImageFetchError {
    let cause: unknown = error;
    for (let i = 0; i < 5 && cause; i++) {
      if (cause instanceof ImageFetchError) return cause;
      cause = (cause as { cause?: unknown }).cause;
    }
    const code = (error as { code?: string }).code;
    if (
      error instanceof undiciErrors.ConnectTimeoutError ||
      error instanceof undiciErrors.HeadersTimeoutError ||
      error instanceof undiciErrors.BodyTimeoutError
    ) {
      return new ImageFetchError('FETCH_TIMEOUT', `${url.host} did not answer in time`, true);
    }
    if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
      return new ImageFetchError(
        'URL_UNRESOLVABLE',
        `the host ${url.hostname} does not resolve`,
        code === 'EAI_AGAIN',
      );
    }
    const message = error instanceof Error ? error.message : String(error);
    return new ImageFetchError(
      'FETCH_FAILED',
      `fetching ${url.href.slice(0, 120)} failed: ${message}`,
      ['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'UND_ERR_SOCKET'].includes(code ?? ''),
    );
  }

  async close(): Promise<void> {
    await this.agent.close();
  }
}
