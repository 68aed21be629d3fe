import 'reflect-metadata';
import { runMain } from '@catalens/observability';
import { loadEmbedderConfig } from './config';
import { EmbedderModule } from './embedder.module';

runMain('embedder', loadEmbedderConfig, (config) => ({
  module: EmbedderModule.forRoot(config),
  port: config.PORT,
  host: config.HOST,
}));
