export { ingestConfigSchema, loadIngestConfig, type IngestConfig } from './config';
export { ingestApp } from './ingest.app';
export { IngestModule, type IngestInfrastructure } from './ingest.module';
