export { graphqlConfigSchema, loadGraphqlConfig, type GraphqlConfig } from './config';
export { graphqlApp } from './graphql.app';
export { GraphqlAppModule, type GraphqlInfrastructure } from './graphql-app.module';
