export {
  BUS,
  type Bus,
  type BusRecord,
  type ConsumedBatch,
  type ConsumedRecord,
  type PublishAck,
  type ReadOptions,
  type SubscribeOptions,
  type Subscription,
  type TopicSpec,
} from './bus.port';
export { BusRecordRejectedError, BusUnavailableError } from './errors';
export { KafkaBus, type KafkaBusOptions } from './adapters/kafka/kafka-bus';
export { BUS_READINESS, BusModule } from './nest/bus.module';
export { itemTopics } from './item-topics';
export { TOPIC_SPECS, TopicProvisioner } from './nest/topic-provisioner';
export { EmbeddedBus, type EmbeddedBusOptions, type SqlClient } from './adapters/embedded/embedded-bus';
