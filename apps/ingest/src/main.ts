import 'reflect-metadata';
import { runMain } from '@catalens/observability';
import { loadIngestConfig } from './config';
import { ingestApp } from './ingest.app';

runMain('ingest', loadIngestConfig, (config) => ingestApp(config));
