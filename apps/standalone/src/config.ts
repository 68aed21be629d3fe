import { resolve } from 'node:path';
import { env, loadConfig } from '@catalens/config';
import { z } from 'zod';

/** The shipped sample catalog (samples/catalog in the repository). */
export const SHIPPED_SAMPLE_CATALOG = resolve(__dirname, '../../../samples/catalog');

/** Variables of the one-process mode itself; everything else goes to the three apps as usual. */
export const standaloneConfigSchema = z.object({
  /** Database, vectors, API-key pepper and the demo key live here; a restart keeps them. */
  CATALENS_DATA_DIR: z.string().min(1).default('./data'),
  CATALENS_GRAPHQL_PORT: env.port(3000),
  CATALENS_INGEST_PORT: env.port(3001),
  CATALENS_EMBEDDER_PORT: env.port(3002),
  /** Where the apps listen; loopback by default (this mode is for one machine). */
  CATALENS_HOST: z.string().min(1).default('127.0.0.1'),
  /** A catalog folder (items.csv + images) ingested on first start, or `none`. */
  CATALENS_SAMPLE_CATALOG: z.string().min(1).default(SHIPPED_SAMPLE_CATALOG),
  /** Only the first N items of the sample catalog (quick trials and tests). */
  CATALENS_SAMPLE_LIMIT: z.coerce.number().int().positive().optional(),
  /** The apps' log level in this mode; quieter than a deployment's default so the progress shows. */
  CATALENS_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('warn'),
});

export type StandaloneConfig = z.infer<typeof standaloneConfigSchema>;

/**
 * This mode's own variables. Unknown `CATALENS_*` names are checked against this schema and the
 * three apps' schemas together (a typo still stops the start), so the check happens here.
 */
export function loadStandaloneConfig(source: NodeJS.ProcessEnv, appSchemas: z.ZodObject[]): StandaloneConfig {
  const known = new Set([standaloneConfigSchema, ...appSchemas].flatMap((s) => Object.keys(s.shape)));
  const own = Object.keys(standaloneConfigSchema.shape);
  const filtered = Object.fromEntries(
    Object.entries(source).filter(([name]) => !name.startsWith('CATALENS_') || own.includes(name)),
  );
  const unknown = Object.keys(source).filter((n) => n.startsWith('CATALENS_') && !known.has(n));
  for (const name of unknown) filtered[name] = source[name];
  return loadConfig(standaloneConfigSchema, filtered);
}

/** What one app's loader sees: the environment minus other apps' and this mode's `CATALENS_*` names. */
export function appEnvironment(
  source: NodeJS.ProcessEnv,
  schema: z.ZodObject,
  overrides: Record<string, string>,
): NodeJS.ProcessEnv {
  const known = new Set(Object.keys(schema.shape));
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(source))
    if (!name.startsWith('CATALENS_') || known.has(name)) env[name] = value;
  return { ...env, ...overrides };
}
