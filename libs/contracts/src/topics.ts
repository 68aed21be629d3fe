/** Default Kafka topic names; deployments may override them through configuration. */
export const TOPICS = {
  items: 'catalens.items.v1',
  itemsDlq: 'catalens.items.dlq.v1',
  itemsIndexed: 'catalens.items.indexed.v1',
} as const;

export type TopicName = (typeof TOPICS)[keyof typeof TOPICS];
