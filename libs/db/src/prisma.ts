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

/** The `pg` pool under each client made by createPrismaClient: the hot reads query it directly. */
const pools = new WeakMap<PrismaClient, Pool>();

/**
 * Prisma client on the `pg` driver adapter: no native query engine, the same code path for a real
 * PostgreSQL and for the embedded PGlite server. The pool is always one this module knows, so the
 * API's hottest reads (see ItemQueryRepository.byIds) can skip Prisma's query building on it.
 */
export function createPrismaClient(options: DatabaseOptions): PrismaClient {
  if (options.pool) {
    const shared = new PrismaClient({ adapter: new PrismaPg(options.pool) });
    pools.set(shared, options.pool);
    return shared;
  }
  const pool = new Pool({
    connectionString: options.url,
    max: options.poolSize ?? 10,
    connectionTimeoutMillis: options.connectTimeoutMs ?? 5_000,
    statement_timeout: options.statementTimeoutMs ?? 30_000,
    idleTimeoutMillis: 30_000,
  });
  const onQuery = options.onQuery;
  if (onQuery) {
    // Counted at the driver, per statement, without Prisma's query events (which serialize every
    // parameter, image bytes included).
    pool.on('connect', (client) => {
      const query = client.query.bind(client) as (...args: unknown[]) => unknown;
      (client as { query: (...args: unknown[]) => unknown }).query = (...args: unknown[]) => {
        const first = args[0];
        onQuery(typeof first === 'string' ? first : ((first as { text?: string } | undefined)?.text ?? ''));
        return query(...args);
      };
    });
  }
  // The pool is ours, so the adapter ends it on disconnect.
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool, { disposeExternalPool: true }) });
  pools.set(prisma, pool);
  return prisma;
}

/** The pool a client of createPrismaClient runs on (statements sent here count like Prisma's). */
export function sqlPool(prisma: PrismaClient): Pool {
  const pool = pools.get(prisma);
  if (!pool) throw new Error('this PrismaClient was not made by createPrismaClient: its pool is unknown');
  return pool;
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
