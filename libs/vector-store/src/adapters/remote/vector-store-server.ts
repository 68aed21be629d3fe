import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { timingSafeEqual } from 'node:crypto';
import {
  CollectionMismatchError,
  CollectionNotFoundError,
  VectorStoreInputError,
  VectorStoreUnavailableError,
} from '../../errors';
import type { VectorStore } from '../../vector-store.port';
import { REMOTE_METHODS, type RemoteError, type RemoteMethod, toWire } from './remote-protocol';

export interface VectorStoreServerOptions {
  port: number;
  host?: string;
  /** Required as `Authorization: Bearer <token>` when set. */
  token?: string;
  /** Largest request body (bytes); default 64 MiB. */
  maxBodyBytes?: number;
}

export interface RunningVectorStoreServer {
  url: string;
  server: Server;
  close(): Promise<void>;
}

function errorBody(error: unknown): { status: number; body: { error: RemoteError } } {
  if (error instanceof VectorStoreInputError)
    return { status: 400, body: { error: { name: error.name, message: error.message, field: error.field } } };
  if (error instanceof CollectionNotFoundError)
    return {
      status: 404,
      body: { error: { name: error.name, message: error.message, collection: error.collection } },
    };
  if (error instanceof CollectionMismatchError)
    return {
      status: 409,
      body: { error: { name: error.name, message: error.message, collection: error.collection } },
    };
  const e = error instanceof Error ? error : new Error(String(error));
  const status = e instanceof VectorStoreUnavailableError ? 503 : 500;
  return { status, body: { error: { name: e.name, message: e.message } } };
}

async function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw new VectorStoreInputError('(body)', `request body over ${limit} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

/**
 * Serves a VectorStore (the embedded one) over HTTP to RemoteVectorStore clients, so that
 * several processes share one embedded store: its directory stays owned by this process alone.
 * Every request is validated by the store itself, exactly as an in-process call would be.
 */
export async function serveVectorStore(
  store: VectorStore,
  options: VectorStoreServerOptions,
): Promise<RunningVectorStoreServer> {
  const limit = options.maxBodyBytes ?? 64 * 1024 * 1024;
  const token = options.token ? Buffer.from(`Bearer ${options.token}`) : undefined;
  const methods = new Set<string>(REMOTE_METHODS);
  const server = createServer((req, res) => {
    void (async () => {
      const method = /^\/v1\/([A-Za-z]+)$/.exec(req.url ?? '')?.[1];
      if (req.method === 'GET' && req.url === '/healthz') return send(res, 200, { status: 'ok' });
      if (token) {
        const given = Buffer.from(req.headers.authorization ?? '');
        if (given.length !== token.length || !timingSafeEqual(given, token))
          return send(res, 401, {
            error: { name: 'Unauthorized', message: 'missing or wrong bearer token' },
          });
      }
      if (req.method !== 'POST' || !method || !methods.has(method))
        return send(res, 404, {
          error: { name: 'NotFound', message: `POST /v1/<method>; methods: ${REMOTE_METHODS.join(', ')}` },
        });
      try {
        const body = await readBody(req, limit);
        let args: unknown;
        try {
          args = (JSON.parse(body.toString('utf8') || '{}') as { args?: unknown }).args ?? [];
        } catch {
          throw new VectorStoreInputError('(body)', 'not JSON');
        }
        if (!Array.isArray(args)) throw new VectorStoreInputError('args', 'expected an array of arguments');
        const call = (store[method as RemoteMethod] as (...a: unknown[]) => Promise<unknown>).bind(store);
        const result = await call(...(args as unknown[]));
        send(res, 200, { result: toWire(result ?? null) });
      } catch (error) {
        const { status, body } = errorBody(error);
        send(res, status, body);
      }
    })();
  });
  server.requestTimeout = 120_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '127.0.0.1', resolve);
  });
  const address = server.address() as AddressInfo;
  return {
    url: `http://${address.address.includes(':') ? `[${address.address}]` : address.address}:${address.port}`,
    server,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
