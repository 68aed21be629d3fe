import type { BootstrapOptions } from '@catalens/observability';
import type { EmbedderConfig } from './config';
import { EmbedderModule, type EmbedderInfrastructure } from './embedder.module';

/** How the embedder is started: by its own main, or inside the one-process mode with shared parts. */
export function embedderApp(
  config: EmbedderConfig,
  shared: EmbedderInfrastructure = {},
): Omit<BootstrapOptions, 'name'> {
  return { module: EmbedderModule.forRoot(config, shared), port: config.PORT, host: config.HOST };
}
