export { PrismaClient, checkDatabase, createPrismaClient, type DatabaseOptions, type Prisma } from './prisma';
export {
  MigrationError,
  migrate,
  readMigrations,
  type MigrationFile,
  type MigrationResult,
} from './migrations/migrator';
export { defaultMigrationsDir } from './migrations/migrations-dir';
export { startEmbeddedPostgres, type EmbeddedPostgres } from './embedded/embedded-postgres';
export {
  API_KEY_ROLES,
  apiKeyMatches,
  generateApiKey,
  hashApiKey,
  parseApiKey,
  type ApiKeyRole,
} from './api-keys/api-key-secret';
export {
  TenantAlreadyExistsError,
  TenantNotFoundError,
  TenantRepository,
  type TenantRecord,
} from './repositories/tenant.repository';
export {
  ApiKeyNotFoundError,
  ApiKeyRepository,
  type ApiKeyPrincipal,
  type CreatedApiKey,
} from './repositories/api-key.repository';
export { DATABASE_READINESS, DatabaseModule, PRISMA_CLIENT } from './nest/database.module';
export {
  ItemRepository,
  type ItemFields,
  type ItemImageFields,
  type ItemStatus,
  type StoredItem,
} from './repositories/item.repository';
export {
  ItemIndexRepository,
  type CuratedTags,
  type IndexedItem,
  type ItemIndexState,
  type ReindexableItem,
} from './repositories/item-index.repository';
export { VocabularyRepository, type TenantVocabularyRecord } from './repositories/vocabulary.repository';
export {
  ItemQueryRepository,
  type ItemListFilter,
  type ItemPosition,
  type TagRow,
} from './repositories/item-query.repository';
export { checkApiKey, type ApiKeyCheck } from './api-keys/check-api-key';
export {
  ItemSearchRepository,
  queryWords,
  refreshSearchDocumentsSql,
  type ItemSearchFilter,
  type KeywordHit,
} from './repositories/item-search.repository';
export {
  TagCurationRepository,
  type CurationResult,
  type TagAction,
} from './repositories/tag-curation.repository';
export {
  CatalogStatsRepository,
  type CatalogStats,
  type TagWordCount,
} from './repositories/catalog-stats.repository';
export { QueryImageRepository, type QueryImageRecord } from './repositories/query-image.repository';
export { REST_AUTH_ERRORS, ROLES_KEY, Roles } from './api-keys/roles';
export {
  SemanticHeadRepository,
  type ItemFeedback,
  type SemanticHeadRecord,
  type SemanticHeadState,
} from './repositories/semantic-head.repository';
