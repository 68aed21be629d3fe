import { BUS_READINESS, BusModule, itemTopics, type Bus } from '@catalens/bus';
import {
  ApiKeyRepository,
  DATABASE_READINESS,
  DatabaseModule,
  ItemRepository,
  PRISMA_CLIENT,
  type PrismaClient,
} from '@catalens/db';
import { SafeImageFetcher } from '@catalens/imaging';
import { APP_FILTER } from '@nestjs/core';
import { ApiKeyGuard } from './auth/api-key.guard';
import { HttpErrorFilter } from './common/http-exception.filter';
import { ItemIngestService } from './items/item-ingest.service';
import { ItemsController } from './items/items.controller';
import { IngestMetrics } from './items/ingest-metrics';
import { FeedIngestService } from './feeds/feed-ingest.service';
import { FeedsController } from './feeds/feeds.controller';
import { UPLOAD_LIMITS } from './items/upload-limits';
import { ObservabilityModule, type ReadinessCheck } from '@catalens/observability';
import { type DynamicModule, Module } from '@nestjs/common';
import { INGEST_CONFIG, type IngestConfig } from './config';

/** Infrastructure created by the host process instead of from the config (the one-process mode). */
export interface IngestInfrastructure {
  prisma?: PrismaClient;
  bus?: Bus;
}

@Module({})
export class IngestModule {
  static forRoot(config: IngestConfig, shared: IngestInfrastructure = {}): DynamicModule {
    UPLOAD_LIMITS.current.fileSize = config.INGEST_MAX_IMAGE_BYTES;
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
        DatabaseModule.forRoot(
          { url: config.DATABASE_URL, poolSize: config.DATABASE_POOL_SIZE },
          shared.prisma,
        ),
        BusModule.forKafka(
          {
            clientId: `${config.KAFKA_CLIENT_ID}-ingest`,
            brokers: config.KAFKA_BROKERS,
            publishTimeoutMs: config.KAFKA_PUBLISH_TIMEOUT_MS,
          },
          itemTopics(config),
          shared.bus,
        ),
      ],
      controllers: [ItemsController, FeedsController],
      providers: [
        { provide: INGEST_CONFIG, useValue: config },
        { provide: APP_FILTER, useClass: HttpErrorFilter },
        {
          provide: ItemRepository,
          inject: [PRISMA_CLIENT],
          useFactory: (prisma: PrismaClient) => new ItemRepository(prisma),
        },
        {
          provide: ApiKeyRepository,
          inject: [PRISMA_CLIENT],
          useFactory: (prisma: PrismaClient) =>
            new ApiKeyRepository(prisma, config.API_KEY_PEPPER, { ttlMs: config.API_KEY_CACHE_TTL_MS }),
        },
        {
          provide: SafeImageFetcher,
          useFactory: () =>
            new SafeImageFetcher({
              allowCidrs: config.INGEST_FETCH_ALLOW_CIDRS,
              maxBytes: config.INGEST_MAX_IMAGE_BYTES,
              readTimeoutMs: config.INGEST_FETCH_TIMEOUT_MS,
              totalConcurrency: config.INGEST_FETCH_CONCURRENCY,
              perHostConcurrency: config.INGEST_FETCH_PER_HOST_CONCURRENCY,
            }),
        },
        ApiKeyGuard,
        ItemIngestService,
        IngestMetrics,
        FeedIngestService,
      ],
    };
  }
}
