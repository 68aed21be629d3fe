import { authEnv, databaseEnv, loadConfig } from '@catalens/config';
import { z } from 'zod';

/** The CLI reads only what a command needs, so `migrate` does not demand the API-key pepper. */
export const loadDatabaseConfig = (source: NodeJS.ProcessEnv = process.env) =>
  loadConfig(z.object({ DATABASE_URL: databaseEnv.DATABASE_URL }), source, { prefix: '\0' });

export const loadKeysConfig = (source: NodeJS.ProcessEnv = process.env) =>
  loadConfig(z.object({ DATABASE_URL: databaseEnv.DATABASE_URL, ...authEnv }), source, { prefix: '\0' });
