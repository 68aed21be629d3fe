import type { BootstrapOptions } from '@catalens/observability';
import type { IngestConfig } from './config';
import { IngestModule, type IngestInfrastructure } from './ingest.module';

/** How the ingest app is started: by its own main, or inside the one-process mode with shared parts. */
export function ingestApp(
  config: IngestConfig,
  shared: IngestInfrastructure = {},
): Omit<BootstrapOptions, 'name'> {
  return {
    module: IngestModule.forRoot(config, shared),
    port: config.PORT,
    host: config.HOST,
    jsonBodyLimit: config.INGEST_MAX_BODY_BYTES,
    jsonBodyLimitSetting: 'INGEST_MAX_BODY_BYTES',
    ...(config.INGEST_CORS_ORIGINS.length > 0
      ? {
          cors: {
            origin: config.INGEST_CORS_ORIGINS.includes('*') ? true : config.INGEST_CORS_ORIGINS,
            methods: ['GET', 'POST'],
            allowedHeaders: ['content-type', 'authorization', 'x-api-key'],
            maxAge: 600,
          },
        }
      : {}),
  };
}
