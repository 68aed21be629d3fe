import { BUS_READINESS, BusModule, itemTopics } from '@catalens/bus';
import { DATABASE_READINESS, DatabaseModule } from '@catalens/db';
import { ObservabilityModule, type ReadinessCheck } from '@catalens/observability';
import { type DynamicModule, Module } from '@nestjs/common';
import { INGEST_CONFIG, type IngestConfig } from './config';

@Module({})
export class IngestModule {
  static forRoot(config: IngestConfig): DynamicModule {
    return {
      module: IngestModule,
      imports: [
        ObservabilityModule.forRoot({
          app: 'ingest',
          logLevel: config.LOG_LEVEL,
          readiness: {
            inject: [BUS_READINESS, DATABASE_READINESS],
            useFactory: (...checks: ReadinessCheck[]) => checks,
          },
        }),
        DatabaseModule.forRoot({ url: config.DATABASE_URL, poolSize: config.DATABASE_POOL_SIZE }),
        BusModule.forKafka(
          {
            clientId: `${config.KAFKA_CLIENT_ID}-ingest`,
            brokers: config.KAFKA_BROKERS,
            publishTimeoutMs: config.KAFKA_PUBLISH_TIMEOUT_MS,
          },
          itemTopics(config),
        ),
      ],
      providers: [{ provide: INGEST_CONFIG, useValue: config }],
    };
  }
}
