import {
  ApiKeyRepository,
  CatalogStatsRepository,
  ItemIndexRepository,
  ItemQueryRepository,
  ItemSearchRepository,
  TagCurationRepository,
  PRISMA_CLIENT,
  QueryImageRepository,
  SemanticHeadRepository,
  VocabularyRepository,
  type PrismaClient,
} from '@catalens/db';
import { type DynamicModule, Module } from '@nestjs/common';

/** The repositories over the shared Prisma client; global, so the GraphQL context factory sees them. */
@Module({})
export class RepositoriesModule {
  static forRoot(config: { API_KEY_PEPPER: string; API_KEY_CACHE_TTL_MS: number }): DynamicModule {
    return {
      module: RepositoriesModule,
      global: true,
      providers: [
        {
          provide: ItemQueryRepository,
          inject: [PRISMA_CLIENT],
          useFactory: (prisma: PrismaClient) => new ItemQueryRepository(prisma),
        },
        ...[
          ItemSearchRepository,
          TagCurationRepository,
          CatalogStatsRepository,
          ItemIndexRepository,
          QueryImageRepository,
          SemanticHeadRepository,
        ].map((provide) => ({
          provide,
          inject: [PRISMA_CLIENT],
          useFactory: (prisma: PrismaClient) => new provide(prisma),
        })),
        {
          provide: VocabularyRepository,
          inject: [PRISMA_CLIENT],
          useFactory: (prisma: PrismaClient) => new VocabularyRepository(prisma),
        },
        {
          provide: ApiKeyRepository,
          inject: [PRISMA_CLIENT],
          useFactory: (prisma: PrismaClient) =>
            new ApiKeyRepository(prisma, config.API_KEY_PEPPER, { ttlMs: config.API_KEY_CACHE_TTL_MS }),
        },
      ],
      exports: [
        ItemQueryRepository,
        ItemSearchRepository,
        TagCurationRepository,
        CatalogStatsRepository,
        ItemIndexRepository,
        QueryImageRepository,
        SemanticHeadRepository,
        ApiKeyRepository,
        VocabularyRepository,
      ],
    };
  }
}
