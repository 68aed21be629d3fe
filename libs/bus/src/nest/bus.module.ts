import { type DynamicModule, Inject, Injectable, Module, type OnApplicationShutdown } from '@nestjs/common';
import { KafkaBus, type KafkaBusOptions } from '../adapters/kafka/kafka-bus';
import { BUS, type Bus } from '../bus.port';

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
  static forKafka(options: KafkaBusOptions): DynamicModule {
    return {
      module: BusModule,
      global: true,
      providers: [
        { provide: BUS, useFactory: () => new KafkaBus(options) },
        { provide: BUS_READINESS, inject: [BUS], useFactory: (bus: Bus) => ({ name: 'kafka', check: () => bus.checkHealth() }) },
        BusLifecycle,
      ],
      exports: [BUS, BUS_READINESS],
    };
  }
}
