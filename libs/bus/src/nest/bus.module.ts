import { type DynamicModule, Inject, Injectable, Module, type OnApplicationShutdown } from '@nestjs/common';
import { KafkaBus, type KafkaBusOptions } from '../adapters/kafka/kafka-bus';
import { BUS, type Bus, type TopicSpec } from '../bus.port';
import { TOPIC_SPECS, TopicProvisioner } from './topic-provisioner';

export const BUS_READINESS = Symbol.for('catalens.BusReadiness');

@Injectable()
class BusLifecycle implements OnApplicationShutdown {
  constructor(@Inject(BUS) private readonly bus: Bus) {}
  async onApplicationShutdown(): Promise<void> {
    await this.bus.close();
  }
}

/** Provides the Bus port (BUS) backed by Kafka, and a readiness check for it (BUS_READINESS). */
@Module({})
export class BusModule {
  /**
   * `topics`: created at start when missing (in the background, retried until Kafka answers).
   * `shared`: a bus the host process made instead (see forInstance); Kafka is then not used.
   */
  static forKafka(options: KafkaBusOptions, topics: TopicSpec[] = [], shared?: Bus): DynamicModule {
    if (shared) return BusModule.forInstance(shared, 'bus', topics);
    return {
      module: BusModule,
      global: true,
      providers: [
        { provide: BUS, useFactory: () => new KafkaBus(options) },
        {
          provide: BUS_READINESS,
          inject: [BUS],
          useFactory: (bus: Bus) => ({ name: 'kafka', check: () => bus.checkHealth() }),
        },
        BusLifecycle,
        { provide: TOPIC_SPECS, useValue: topics },
        TopicProvisioner,
      ],
      exports: [BUS, BUS_READINESS],
    };
  }

  /**
   * A bus created and closed by someone else (the one-process mode shares one EmbeddedBus between
   * the three apps); `topics` are created at start like forKafka's.
   */
  static forInstance(bus: Bus, name: string, topics: TopicSpec[] = []): DynamicModule {
    return {
      module: BusModule,
      global: true,
      providers: [
        { provide: BUS, useValue: bus },
        { provide: BUS_READINESS, useValue: { name, check: () => bus.checkHealth() } },
        { provide: TOPIC_SPECS, useValue: topics },
        TopicProvisioner,
      ],
      exports: [BUS, BUS_READINESS],
    };
  }
}
