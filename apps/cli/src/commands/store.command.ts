import { loadConfig, vectorStoreEnv } from '@catalens/config';
import { EmbeddedVectorStore, serveVectorStore } from '@catalens/vector-store';
import type { Command } from 'commander';
import { z } from 'zod';
import { CliUsageError } from '../admin/tenant-admin.service';

const loadStoreConfig = (source: NodeJS.ProcessEnv = process.env) =>
  loadConfig(
    z.object({
      VECTOR_STORE_DIR: vectorStoreEnv.VECTOR_STORE_DIR,
      VECTOR_STORE_TOKEN: vectorStoreEnv.VECTOR_STORE_TOKEN,
      VECTOR_STORE_HNSW_EF: vectorStoreEnv.VECTOR_STORE_HNSW_EF,
    }),
    source,
    { prefix: '\0' },
  );

export function registerStoreCommands(program: Command): void {
  const store = program.command('store').description('the embedded vector store');
  store
    .command('serve')
    .description(
      'serve the embedded store over HTTP so several processes (embedder, graphql) share it; they set VECTOR_STORE_URL',
    )
    .option('--dir <path>', 'store directory (default VECTOR_STORE_DIR or ./data/vectors)')
    .option('--port <port>', 'port', '6343')
    .option(
      '--host <host>',
      'interface to bind; keep it private, the store has no tenants of its own',
      '127.0.0.1',
    )
    .action(async (options: { dir?: string; port: string; host: string }) => {
      const config = loadStoreConfig();
      const port = Number(options.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535)
        throw new CliUsageError(`--port ${JSON.stringify(options.port)}: expected 0-65535`);
      if (options.host !== '127.0.0.1' && options.host !== 'localhost' && !config.VECTOR_STORE_TOKEN)
        throw new CliUsageError(
          `--host ${options.host} exposes the store: set VECTOR_STORE_TOKEN (16+ characters)`,
        );
      const embedded = new EmbeddedVectorStore({
        directory: options.dir ?? config.VECTOR_STORE_DIR,
        hnsw: { ef: config.VECTOR_STORE_HNSW_EF },
      });
      const running = await serveVectorStore(embedded, {
        port,
        host: options.host,
        ...(config.VECTOR_STORE_TOKEN ? { token: config.VECTOR_STORE_TOKEN } : {}),
      });
      process.stdout.write(
        `vector store ${options.dir ?? config.VECTOR_STORE_DIR} served at ${running.url}\n`,
      );
      await new Promise<void>((resolve) => {
        const stop = () => resolve();
        process.once('SIGTERM', stop);
        process.once('SIGINT', stop);
      });
      await running.close();
      await embedded.close();
    });
}
