import 'reflect-metadata';
import { runMain } from '@catalens/observability';
import { loadIngestConfig } from './config';
import { IngestModule } from './ingest.module';

runMain('ingest', loadIngestConfig, (config) => ({
  module: IngestModule.forRoot(config),
  port: config.PORT,
  host: config.HOST,
  jsonBodyLimit: config.INGEST_MAX_BODY_BYTES,
}));
