import { ApolloServerPluginCacheControlDisabled } from '@apollo/server/plugin/disabled';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import { BusModule, type Bus } from '@catalens/bus';
import {
  DATABASE_READINESS,
  DatabaseModule,
  ItemQueryRepository,
  SemanticHeadRepository,
  type PrismaClient,
} from '@catalens/db';
import { ActiveHeads } from '@catalens/learning';
import { ObservabilityModule, type ReadinessCheck } from '@catalens/observability';
import { VECTOR_STORE_READINESS, VectorStoreModule, type VectorStore } from '@catalens/vector-store';
import { ApolloDriver, type ApolloDriverConfig } from '@nestjs/apollo';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { type DynamicModule, Logger, Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { ServeStaticModule } from '@nestjs/serve-static';
import { GraphQLModule } from '@nestjs/graphql';
import type { Request } from 'express';
import { ApiKeyGuard } from './auth/api-key.guard';
import type { RequestContext } from './auth/request-context';
import { formatError } from './common/api-errors';
import { clientErrorsPlugin } from './common/client-errors.plugin';
import { GraphqlErrorFilter } from './common/graphql-error.filter';
import { RepositoriesModule } from './common/repositories.module';
import { GRAPHQL_CONFIG, type GraphqlConfig } from './config';
import { RequestLoaders } from './items/item-loaders';
import { ItemsResolver } from './items/items.resolver';
import { SearchResolver } from './search/search.resolver';
import { SearchService } from './search/search.service';
import { TextSearchService } from './search/text-search.service';
import { VocabularyService } from './vocabulary/vocabulary.service';
import { CatalogResolver } from './catalog/catalog.resolver';
import { EmbeddingMapService } from './catalog/embedding-map.service';
import { TagCurationService } from './tags/tag-curation.service';
import { TagsResolver } from './tags/tags.resolver';
import { ReindexResolver } from './reindex/reindex.resolver';
import { TenantReindexService } from './reindex/tenant-reindex.service';
import { SemanticHeadsResolver } from './heads/semantic-heads.resolver';
import { SemanticHeadsService } from './heads/semantic-heads.service';
import { QueryImageEncoder } from './query-images/query-image-encoder';
import { QueryImagesController } from './query-images/query-images.controller';
import { QueryImagesService } from './query-images/query-images.service';
import { ThumbnailSigner } from './thumbnails/thumbnail-signer';
import { ThumbnailsController } from './thumbnails/thumbnails.controller';
import { WidgetController } from './widget/widget.controller';
import { DashboardConfigController } from './dashboard/dashboard-config.controller';

/** The merchandiser dashboard's build (apps/dashboard/dist), served at `/` when it was built. */
const DASHBOARD_DIR = join(__dirname, '../../dashboard/dist');
function dashboard(logger: Logger): DynamicModule[] {
  if (!existsSync(join(DASHBOARD_DIR, 'index.html'))) {
    logger.warn(`no dashboard at ${DASHBOARD_DIR}: run npm run build to serve it at /`);
    return [];
  }
  return [
    ServeStaticModule.forRoot({
      rootPath: DASHBOARD_DIR,
      serveRoot: '/',
      exclude: [
        '/graphql',
        '/v1/{*rest}',
        '/widget.js',
        '/dashboard-config.json',
        '/healthz',
        '/readyz',
        '/metrics',
      ],
      serveStaticOptions: { index: 'index.html', maxAge: 300_000 },
    }),
  ];
}

/** Infrastructure created by the host process instead of from the config (the one-process mode). */
export interface GraphqlInfrastructure {
  prisma?: PrismaClient;
  bus?: Bus;
  vectorStore?: VectorStore;
}

@Module({})
export class GraphqlAppModule {
  static forRoot(config: GraphqlConfig, shared: GraphqlInfrastructure = {}): DynamicModule {
    const logger = new Logger('GraphQL');
    // Depth, aliases, cost and directives are refused before execution (graphql-armor), for
    // introspection as for every other document. The token limit is graphql-js's own parse option:
    // graphql-armor's token plugin re-parses in a hook whose errors Apollo answers with HTTP 500.
    const armor = new ApolloArmor({
      maxDepth: { n: config.GRAPHQL_MAX_DEPTH, ignoreIntrospection: false },
      maxAliases: { n: config.GRAPHQL_MAX_ALIASES },
      costLimit: { maxCost: config.GRAPHQL_MAX_COST, ignoreIntrospection: false },
      maxTokens: { enabled: false },
      maxDirectives: { n: 20 },
      blockFieldSuggestion: { enabled: !config.GRAPHQL_INTROSPECTION },
    });
    const protection = armor.protect();
    return {
      module: GraphqlAppModule,
      imports: [
        ObservabilityModule.forRoot({
          app: 'graphql',
          logLevel: config.LOG_LEVEL,
          readiness: {
            inject: [DATABASE_READINESS, VECTOR_STORE_READINESS],
            useFactory: (...checks: ReadinessCheck[]) => checks,
          },
        }),
        DatabaseModule.forRoot(
          { url: config.DATABASE_URL, poolSize: config.DATABASE_POOL_SIZE },
          shared.prisma,
        ),
        GraphQLModule.forRootAsync<ApolloDriverConfig>({
          driver: ApolloDriver,
          inject: [ItemQueryRepository],
          useFactory: (items: ItemQueryRepository): ApolloDriverConfig => ({
            path: '/graphql',
            autoSchemaFile: true,
            sortSchema: true,
            introspection: config.GRAPHQL_INTROSPECTION,
            playground: false,
            // Apollo Server's CSRF prevention: a request must be JSON or carry a preflight header.
            csrfPrevention: true,
            // No cache hints are set, and Apollo's default cache-control plugin would otherwise wrap
            // every field's resolver (measured in bench/graphql's profile).
            parseOptions: { maxTokens: config.GRAPHQL_MAX_TOKENS },
            plugins: [...protection.plugins, clientErrorsPlugin(), ApolloServerPluginCacheControlDisabled()],
            validationRules: [...protection.validationRules],
            includeStacktraceInErrorResponses: false,
            formatError: (formatted, error) => formatError(formatted, error, (m) => logger.error(m)),
            context: ({ req }: { req: Request }): RequestContext => ({
              req,
              loaders: new RequestLoaders(items),
            }),
          }),
        }),
        RepositoriesModule.forRoot(config),
        ...dashboard(logger),
        // No topics provisioned here (ingest does); Kafka is not part of readiness: only reindex needs it.
        BusModule.forKafka(
          {
            clientId: `${config.KAFKA_CLIENT_ID}-graphql`,
            brokers: config.KAFKA_BROKERS,
            publishTimeoutMs: config.KAFKA_PUBLISH_TIMEOUT_MS,
          },
          [],
          shared.bus,
        ),
        VectorStoreModule.forRoot(config, shared.vectorStore),
      ],
      controllers: [QueryImagesController, ThumbnailsController, WidgetController, DashboardConfigController],
      providers: [
        { provide: GRAPHQL_CONFIG, useValue: config },
        { provide: APP_FILTER, useClass: GraphqlErrorFilter },
        ApiKeyGuard,
        ItemsResolver,
        VocabularyService,
        SearchService,
        TextSearchService,
        SearchResolver,
        TagCurationService,
        TagsResolver,
        CatalogResolver,
        EmbeddingMapService,
        TenantReindexService,
        ReindexResolver,
        {
          // The API computes no visual vectors itself: any stored head of the tenant is accepted.
          provide: ActiveHeads,
          inject: [SemanticHeadRepository],
          useFactory: (heads: SemanticHeadRepository) => new ActiveHeads(heads, () => null),
        },
        SemanticHeadsService,
        SemanticHeadsResolver,
        QueryImageEncoder,
        QueryImagesService,
        { provide: ThumbnailSigner, useValue: new ThumbnailSigner(config.API_KEY_PEPPER) },
      ],
    };
  }
}
