import { BUS_READINESS, BusModule, itemTopics, type Bus } from '@catalens/bus';
import {
  DATABASE_READINESS,
  DatabaseModule,
  ItemIndexRepository,
  PRISMA_CLIENT,
  SemanticHeadRepository,
  VocabularyRepository,
  type PrismaClient,
} from '@catalens/db';
import { ObservabilityModule, type ReadinessCheck } from '@catalens/observability';
import { VECTOR_STORE_READINESS, VectorStoreModule, type VectorStore } from '@catalens/vector-store';
import { type DynamicModule, Module } from '@nestjs/common';
import { EMBEDDER_CONFIG, type EmbedderConfig } from './config';
import { ItemsConsumer } from './consumer/items.consumer';
import { EmbedderMetrics } from './metrics/embedder-metrics';
import { EmbeddingRuntime, imageEncoderProvider } from './model/embedding-runtime';
import { ItemIndexingService } from './pipeline/item-indexing.service';
import { PipelineHealth } from './pipeline/pipeline-health';
import { ServingCollection } from './pipeline/serving-collection';
import { TenantTaggers } from './tagging/tenant-taggers';
import { ActiveHeads } from '@catalens/learning';

const PIPELINE_READINESS = Symbol('catalens.PipelineReadiness');

/** Infrastructure created by the host process instead of from the config (the one-process mode). */
export interface EmbedderInfrastructure {
  prisma?: PrismaClient;
  bus?: Bus;
  vectorStore?: VectorStore;
}

@Module({})
export class EmbedderModule {
  static forRoot(config: EmbedderConfig, shared: EmbedderInfrastructure = {}): DynamicModule {
    return {
      module: EmbedderModule,
      // Global so that the observability module can inject the readiness checks defined here.
      global: true,
      exports: [PIPELINE_READINESS],
      imports: [
        ObservabilityModule.forRoot({
          app: 'embedder',
          logLevel: config.LOG_LEVEL,
          readiness: {
            inject: [BUS_READINESS, DATABASE_READINESS, VECTOR_STORE_READINESS, PIPELINE_READINESS],
            useFactory: (...checks: ReadinessCheck[]) => checks,
          },
        }),
        DatabaseModule.forRoot(
          { url: config.DATABASE_URL, poolSize: config.DATABASE_POOL_SIZE },
          shared.prisma,
        ),
        BusModule.forKafka(
          {
            clientId: `${config.KAFKA_CLIENT_ID}-embedder`,
            brokers: config.KAFKA_BROKERS,
            publishTimeoutMs: config.KAFKA_PUBLISH_TIMEOUT_MS,
          },
          itemTopics(config),
          shared.bus,
        ),
        VectorStoreModule.forRoot(config, shared.vectorStore),
      ],
      providers: [
        { provide: EMBEDDER_CONFIG, useValue: config },
        {
          provide: PIPELINE_READINESS,
          inject: [PipelineHealth],
          useFactory: (health: PipelineHealth): ReadinessCheck => ({
            name: 'pipeline',
            check: () => health.check(),
          }),
        },
        {
          provide: ItemIndexRepository,
          inject: [PRISMA_CLIENT],
          useFactory: (prisma: PrismaClient) => new ItemIndexRepository(prisma),
        },
        {
          provide: VocabularyRepository,
          inject: [PRISMA_CLIENT],
          useFactory: (prisma: PrismaClient) => new VocabularyRepository(prisma),
        },
        EmbedderMetrics,
        PipelineHealth,
        imageEncoderProvider(),
        EmbeddingRuntime,
        TenantTaggers,
        {
          provide: ActiveHeads,
          inject: [PRISMA_CLIENT, EmbeddingRuntime],
          useFactory: (prisma: PrismaClient, runtime: EmbeddingRuntime) =>
            new ActiveHeads(new SemanticHeadRepository(prisma), () => runtime.modelVersion.split('+')[0]!),
        },
        ServingCollection,
        ItemIndexingService,
        ItemsConsumer,
      ],
    };
  }
}
