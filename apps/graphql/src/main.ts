import 'reflect-metadata';
import { runMain } from '@catalens/observability';
import { loadGraphqlConfig } from './config';
import { GraphqlAppModule } from './graphql-app.module';

runMain('graphql', loadGraphqlConfig, (config) => ({
  module: GraphqlAppModule.forRoot(config),
  port: config.PORT,
  host: config.HOST,
}));
