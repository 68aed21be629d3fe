import { authEnv, commonEnv, databaseEnv, env, loadConfig } from '@catalens/config';
import { z } from 'zod';

export const graphqlConfigSchema = z.object({
  ...commonEnv,
  ...databaseEnv,
  ...authEnv,
  PORT: env.port(3000),
});

export type GraphqlConfig = z.infer<typeof graphqlConfigSchema>;
export const GRAPHQL_CONFIG = Symbol.for('catalens.GraphqlConfig');
export const loadGraphqlConfig = (source: NodeJS.ProcessEnv = process.env): GraphqlConfig =>
  loadConfig(graphqlConfigSchema, source);
