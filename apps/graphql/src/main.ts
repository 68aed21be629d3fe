import 'reflect-metadata';
import { runMain } from '@catalens/observability';
import { loadGraphqlConfig } from './config';
import { GraphqlAppModule } from './graphql-app.module';

runMain('graphql', loadGraphqlConfig, (config) => ({
  module: GraphqlAppModule.forRoot(config),
  port: config.PORT,
  host: config.HOST,
  // Storefront widgets call the API from merchants' sites. Keys travel in headers, never cookies,
  // so allowing an origin grants nothing a key does not.
  cors: {
    origin: config.GRAPHQL_CORS_ORIGINS.includes('*') ? true : config.GRAPHQL_CORS_ORIGINS,
    methods: ['GET', 'POST'],
    allowedHeaders: ['content-type', 'authorization', 'x-api-key', 'apollo-require-preflight'],
    maxAge: 600,
  },
}));
