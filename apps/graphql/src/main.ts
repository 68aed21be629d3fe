import 'reflect-metadata';
import { runMain } from '@catalens/observability';
import { loadGraphqlConfig } from './config';
import { graphqlApp } from './graphql.app';

runMain('graphql', loadGraphqlConfig, (config) => graphqlApp(config));
