import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { EmbeddedBus } from '@catalens/bus';
import {
  type PrismaClient,
  createPrismaClient,
  defaultMigrationsDir,
  migrate,
  startEmbeddedPostgres,
} from '@catalens/db';
import { EmbeddedVectorStore } from '@catalens/vector-store';
import { Pool } from 'pg';

/** The parts the three apps share in the one-process mode, all inside the data directory. */
export interface EmbeddedInfrastructure {
  databaseUrl: string;
  prisma: PrismaClient;
  bus: EmbeddedBus;
  vectorStore: EmbeddedVectorStore;
  /** Closes everything in dependency order; call after the apps closed. */
  close(): Promise<void>;
}

/**
 * Starts PGlite on `<dataDir>/postgres` (migrated), the EmbeddedBus in it, and the embedded vector
 * store on `<dataDir>/vectors`. Every database user goes through one pool of one connection: PGlite
 * is a single session (see startEmbeddedPostgres), and the apps' statements are short.
 */
export async function openEmbeddedInfrastructure(
  dataDir: string,
  log: (line: string) => void,
): Promise<EmbeddedInfrastructure> {
  mkdirSync(dataDir, { recursive: true });
  // Two sockets at most: the pool's one, and a moment's overlap when the migrator's closes.
  const db = await startEmbeddedPostgres({ dataDir: join(dataDir, 'postgres'), maxConnections: 2 });
  try {
    await migrate(db.url, defaultMigrationsDir(), log);
  } catch (error) {
    await db.stop();
    throw error;
  }
  const pool = new Pool({
    connectionString: db.url,
    max: 1,
    // Keep the one connection: reconnecting would briefly need a second socket.
    idleTimeoutMillis: 0,
    // Statements wait for the one connection; a large batch of writes can hold it for a while.
    connectionTimeoutMillis: 120_000,
    statement_timeout: 60_000,
  });
  pool.on('error', (error) => log(`embedded database connection failed: ${error.message}`));
  const prisma = createPrismaClient({ url: db.url, pool });
  const bus = new EmbeddedBus({
    sql: pool,
    log: (level, message) => log(`${level}: ${message}`),
  });
  const vectorStore = new EmbeddedVectorStore({
    directory: join(dataDir, 'vectors'),
    warn: (message) => log(`warn: ${message}`),
  });
  return {
    databaseUrl: db.url,
    prisma,
    bus,
    vectorStore,
    close: async () => {
      await bus.close();
      await vectorStore.close();
      await prisma.$disconnect();
      await pool.end();
      await db.stop();
    },
  };
}
