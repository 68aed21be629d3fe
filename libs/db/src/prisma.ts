import { PrismaPg } from '@prisma/adapter-pg';
import { Pool } from 'pg';
import { PrismaClient } from './generated/prisma/client';

export { PrismaClient };
export type { Prisma } from './generated/prisma/client';

export interface DatabaseOptions {
  url: string;
  /** Connections in the pool of this process. */
  poolSize?: number;
  /** Fail a connection attempt after this long instead of hanging (ms). */
  connectTimeoutMs?: number;
  /** Cancel statements that run longer than this (ms). */
  statementTimeoutMs?: number;
  /** Called with every SQL statement the client sends (metrics: queries per request, N+1 checks). */
  onQuery?: (sql: string) => void;
  /** A pool owned by the caller (shared with other users of one embedded database); not ended on disconnect. */
  pool?: Pool;
}

/**
 * Prisma client on the `pg` driver adapter: no native query engine, the same code path for a real
 * PostgreSQL and for the embedded PGlite server.
 */
export function createPrismaClient(options: DatabaseOptions): PrismaClient {
  const config = {
    connectionString: options.url,
    max: options.poolSize ?? 10,
    connectionTimeoutMillis: options.connectTimeoutMs ?? 5_000,
    statement_timeout: options.statementTimeoutMs ?? 30_000,
    idleTimeoutMillis: 30_000,
  };
  if (options.pool) return new PrismaClient({ adapter: new PrismaPg(options.pool) });
  const onQuery = options.onQuery;
  if (!onQuery) return new PrismaClient({ adapter: new PrismaPg(config) });
  // Counted at the driver, per statement, without Prisma's query events (which serialize every
  // parameter, image bytes included). The pool is ours, so the adapter ends it on disconnect.
  const pool = new Pool(config);
  pool.on('connect', (client) => {
    const query = client.query.bind(client) as (...args: unknown[]) => unknown;
    (client as { query: (...args: unknown[]) => unknown }).query = (...args: unknown[]) => {
      const first = args[0];
      onQuery(typeof first === 'string' ? first : ((first as { text?: string } | undefined)?.text ?? ''));
      return query(...args);
    };
  });
  return new PrismaClient({ adapter: new PrismaPg(pool, { disposeExternalPool: true }) });
}

/** Resolves when the database answers a trivial query; throws otherwise. */
export async function checkDatabase(prisma: PrismaClient, timeoutMs = 3_000): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      prisma.$queryRaw`SELECT 1`,
      new Promise((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`database did not answer within ${timeoutMs} ms`)),
          timeoutMs,
        );
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}
