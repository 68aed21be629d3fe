import type { TopicSpec } from './bus.port';

/** The item topic and its DLQ, as ingest and embedder both declare them. */
export function itemTopics(config: {
  CATALENS_TOPIC_ITEMS: string;
  CATALENS_TOPIC_ITEMS_DLQ: string;
  KAFKA_TOPIC_PARTITIONS: number;
  KAFKA_TOPIC_RETENTION_MS: number;
}): TopicSpec[] {
  const retention = { 'retention.ms': String(config.KAFKA_TOPIC_RETENTION_MS) };
  return [
    { topic: config.CATALENS_TOPIC_ITEMS, partitions: config.KAFKA_TOPIC_PARTITIONS, configs: retention },
    // The DLQ is kept longer than the main topic would need: it is replayed by hand.
    {
      topic: config.CATALENS_TOPIC_ITEMS_DLQ,
      partitions: 1,
      configs: {
        'retention.ms': String(4 * config.KAFKA_TOPIC_RETENTION_MS),
        // A DLQ record carries the original record base64-encoded (4/3 of its size) plus the error.
        'max.message.bytes': String(4 * 1024 * 1024),
      },
    },
  ];
}
