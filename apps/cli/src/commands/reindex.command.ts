import { KafkaBus } from '@catalens/bus';
import { collectionEnv, databaseEnv, kafkaEnv, loadConfig, vectorStoreEnv } from '@catalens/config';
import { ItemIndexRepository, createPrismaClient } from '@catalens/db';
import { ReindexError, ReindexService } from '@catalens/indexing';
import { createVectorStore } from '@catalens/vector-store';
import type { Command } from 'commander';
import { z } from 'zod';
import { CliUsageError } from '../admin/tenant-admin.service';

const loadReindexConfig = (source: NodeJS.ProcessEnv = process.env) =>
  loadConfig(
    z.object({
      DATABASE_URL: databaseEnv.DATABASE_URL,
      KAFKA_BROKERS: kafkaEnv.KAFKA_BROKERS,
      KAFKA_CLIENT_ID: kafkaEnv.KAFKA_CLIENT_ID,
      CATALENS_TOPIC_ITEMS: kafkaEnv.CATALENS_TOPIC_ITEMS,
      ...collectionEnv,
      ...vectorStoreEnv,
    }),
    source,
    { prefix: '\0' },
  );

export function registerReindexCommand(program: Command): void {
  program
    .command('reindex')
    .description(
      "move search to another model version: re-publish every item to that version's embedders, switch the alias when its collection is complete",
    )
    .requiredOption(
      '--to <version>',
      'model version, e.g. efficientnet-lite0-224+devise-… (an embedder of it must be running)',
    )
    .option(
      '--stall-timeout <seconds>',
      'give up, alias untouched, when indexing stops progressing this long',
      '600',
    )
    .action(async (options: { to: string; stallTimeout: string }) => {
      const config = loadReindexConfig();
      if (!config.QDRANT_URL && !config.VECTOR_STORE_URL) {
        throw new CliUsageError(
          'reindex needs the store the embedders write: set QDRANT_URL, or VECTOR_STORE_URL of `catalens store serve` (the embedded store belongs to one process)',
        );
      }
      const stallSeconds = Number(options.stallTimeout);
      if (!Number.isFinite(stallSeconds) || stallSeconds <= 0)
        throw new CliUsageError(
          `--stall-timeout ${JSON.stringify(options.stallTimeout)}: expected seconds > 0`,
        );
      const bus = new KafkaBus({ clientId: `${config.KAFKA_CLIENT_ID}-cli`, brokers: config.KAFKA_BROKERS });
      const store = createVectorStore(config);
      const prisma = createPrismaClient({ url: config.DATABASE_URL, poolSize: 2 });
      try {
        const result = await new ReindexService(bus, store, new ItemIndexRepository(prisma)).run({
          toVersion: options.to,
          alias: config.CATALENS_COLLECTION,
          itemsTopic: config.CATALENS_TOPIC_ITEMS,
          stallTimeoutMs: stallSeconds * 1000,
          onProgress: (p) =>
            process.stdout.write(
              `reindex ${p.phase}: published ${p.published}/${p.total}, indexed ${p.indexed}/${p.total} (${p.total ? Math.floor((100 * p.indexed) / p.total) : 100}%)\n`,
            ),
        });
        process.stdout.write(
          `reindex done in ${result.seconds.toFixed(0)} s: alias ${config.CATALENS_COLLECTION} ${result.from ?? '(none)'} → ${result.to}, ${result.indexed} items\n`,
        );
      } catch (error) {
        if (error instanceof ReindexError) throw new CliUsageError(error.message);
        throw error;
      } finally {
        await prisma.$disconnect();
        await store.close();
        await bus.close();
      }
    });
}
