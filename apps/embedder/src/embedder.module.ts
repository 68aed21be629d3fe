import { BUS_READINESS, BusModule, itemTopics } from '@catalens/bus';
import { DATABASE_READINESS, DatabaseModule } from '@catalens/db';
import { ObservabilityModule, type ReadinessCheck } from '@catalens/observability';
import { type DynamicModule, Module } from '@nestjs/common';
import { EMBEDDER_CONFIG, type EmbedderConfig } from './config';

@Module({})
export class EmbedderModule {
  static forRoot(config: EmbedderConfig): DynamicModule {
    return {
      module: EmbedderModule,
      imports: [
        ObservabilityModule.forRoot({
          app: 'embedder',
          logLevel: config.LOG_LEVEL,
          readiness: {
            inject: [BUS_READINESS, DATABASE_READINESS],
            useFactory: (...checks: ReadinessCheck[]) => checks,
          },
        }),
        DatabaseModule.forRoot({ url: config.DATABASE_URL, poolSize: config.DATABASE_POOL_SIZE }),
        BusModule.forKafka(
          { clientId: `${config.KAFKA_CLIENT_ID}-embedder`, brokers: config.KAFKA_BROKERS },
          itemTopics(config),
        ),
      ],
      providers: [{ provide: EMBEDDER_CONFIG, useValue: config }],
    };
  }
}
