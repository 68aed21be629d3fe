export { embedderConfigSchema, loadEmbedderConfig, type EmbedderConfig } from './config';
export { embedderApp } from './embedder.app';
export { EmbedderModule, type EmbedderInfrastructure } from './embedder.module';
