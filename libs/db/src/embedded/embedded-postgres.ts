import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

export interface EmbeddedPostgres {
  /** A postgresql:// URL that the regular `pg` driver (and so Prisma's adapter) connects to. */
  url: string;
  port: number;
  stop(): Promise<void>;
}

/**
 * PostgreSQL compiled to WebAssembly (PGlite), served on a loopback socket, so the one-command
 * mode and offline tooling use the very same driver, Prisma client and SQL as production.
 * `dataDir` persists across restarts; without it the database lives in memory.
 *
 * PGlite is one backend session. The socket server queues statements of several connections into
 * it and keeps a transaction's statements together, but not an extended-protocol exchange
 * (Parse/Bind/Execute/Sync) outside a transaction, so two busy connections can swap prepared
 * statements (electric-sql/pglite#1046). Hence one connection by default: share one pool of size 1.
 */
export async function startEmbeddedPostgres(
  options: { dataDir?: string; port?: number; maxConnections?: number } = {},
): Promise<EmbeddedPostgres> {
  const db = await PGlite.create(options.dataDir);
  const server = new PGLiteSocketServer({
    db,
    host: '127.0.0.1',
    port: options.port ?? 0,
    maxConnections: options.maxConnections ?? 1,
  });
  await server.start();
  const port = (server as unknown as { port: number }).port;
  return {
    url: `postgresql://postgres:postgres@127.0.0.1:${port}/postgres?sslmode=disable`,
    port,
    stop: async () => {
      await server.stop();
      await db.close();
    },
  };
}
