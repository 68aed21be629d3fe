import { KafkaBus } from '@catalens/bus';
import { loadConfig, kafkaEnv } from '@catalens/config';
import type { Command } from 'commander';
import { z } from 'zod';
import { CliUsageError } from '../admin/tenant-admin.service';
import { replayDeadLetters } from '../dlq/dlq-replay.service';

const loadKafkaConfig = (source: NodeJS.ProcessEnv = process.env) =>
  loadConfig(
    z.object({
      KAFKA_BROKERS: kafkaEnv.KAFKA_BROKERS,
      KAFKA_CLIENT_ID: kafkaEnv.KAFKA_CLIENT_ID,
      CATALENS_TOPIC_ITEMS_DLQ: kafkaEnv.CATALENS_TOPIC_ITEMS_DLQ,
    }),
    source,
    { prefix: '\0' },
  );

/** `2026-11-23T10:00:00Z`, or a duration back from now: `30m`, `6h`, `2d`. */
export function parseSince(value: string, now = Date.now()): Date {
  const relative = /^(\d+)\s*([smhd])$/.exec(value.trim());
  if (relative) {
    const unit = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 }[relative[2] as 's' | 'm' | 'h' | 'd'];
    return new Date(now - Number(relative[1]) * unit);
  }
  const time = Date.parse(value);
  if (Number.isNaN(time))
    throw new CliUsageError(
      `--since ${JSON.stringify(value)}: expected an ISO time or a duration such as 30m, 6h, 2d`,
    );
  return new Date(time);
}

export function registerDlqCommands(program: Command): void {
  const dlq = program.command('dlq').description('dead-letter topic (records the embedder could not index)');
  dlq
    .command('replay')
    .description('re-publish dead letters to the topic they came from (after fixing the cause)')
    .option('--since <time>', 'only dead letters since an ISO time or a duration back from now (30m, 6h, 2d)')
    .option('--error <class...>', 'only these error classes, e.g. UndecodableImageError')
    .option('--to <topic>', 'publish to this topic instead of the original one')
    .option('--dry-run', 'count what would be replayed, publish nothing')
    .action(async (options: { since?: string; error?: string[]; to?: string; dryRun?: boolean }) => {
      const config = loadKafkaConfig();
      const since = options.since ? parseSince(options.since) : undefined;
      const bus = new KafkaBus({ clientId: `${config.KAFKA_CLIENT_ID}-cli`, brokers: config.KAFKA_BROKERS });
      try {
        const result = await replayDeadLetters(bus, {
          dlqTopic: config.CATALENS_TOPIC_ITEMS_DLQ,
          ...(since ? { since } : {}),
          ...(options.error ? { errorClasses: options.error } : {}),
          ...(options.to ? { toTopic: options.to } : {}),
          ...(options.dryRun ? { dryRun: true } : {}),
        });
        process.stdout.write(
          `${options.dryRun ? 'would replay' : 'replayed'} ${result.replayed} of ${result.read} dead letters` +
            ` (${result.skipped} filtered out, ${result.unreadable} unreadable) from ${config.CATALENS_TOPIC_ITEMS_DLQ}\n`,
        );
      } finally {
        await bus.close();
      }
    });
}
