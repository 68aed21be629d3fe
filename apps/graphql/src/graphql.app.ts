import type { BootstrapOptions } from '@catalens/observability';
import type { GraphqlConfig } from './config';
import { GraphqlAppModule, type GraphqlInfrastructure } from './graphql-app.module';

/** How the GraphQL app is started: by its own main, or inside the one-process mode with shared parts. */
export function graphqlApp(
  config: GraphqlConfig,
  shared: GraphqlInfrastructure = {},
): Omit<BootstrapOptions, 'name'> {
  return {
    module: GraphqlAppModule.forRoot(config, shared),
    port: config.PORT,
    host: config.HOST,
    jsonBodyLimit: config.GRAPHQL_MAX_BODY_BYTES,
    jsonBodyLimitSetting: 'GRAPHQL_MAX_BODY_BYTES',
    bodyErrorShape: 'graphql',
    // Storefront widgets call the API from merchants' sites. Keys travel in headers, never cookies,
    // so allowing an origin grants nothing a key does not.
    cors: {
      origin: config.GRAPHQL_CORS_ORIGINS.includes('*') ? true : config.GRAPHQL_CORS_ORIGINS,
      methods: ['GET', 'POST'],
      allowedHeaders: ['content-type', 'authorization', 'x-api-key', 'apollo-require-preflight'],
      maxAge: 600,
    },
  };
}
