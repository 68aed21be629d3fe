import type { INestApplication, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Logger } from 'nestjs-pino';
import { bodyErrorHandler, refuseInvalidUtf8 } from './body-errors';

export interface BootstrapOptions {
  module: Type<unknown> | import('@nestjs/common').DynamicModule;
  port: number;
  host?: string;
  name: string;
  /** Largest JSON body accepted (bytes); larger ones are answered 413. Default 1 MiB. */
  jsonBodyLimit?: number;
  /** The setting that raises `jsonBodyLimit`, named in the 413 answer (e.g. INGEST_MAX_BODY_BYTES). */
  jsonBodyLimitSetting?: string;
  /** The error shape of refused bodies: `{"error": {...}}` (REST, default) or `{"errors": [...]}`. */
  bodyErrorShape?: 'rest' | 'graphql';
  /** Cross-origin requests to allow (browsers on other sites); none when omitted. */
  cors?: import('@nestjs/common/interfaces/external/cors-options.interface').CorsOptions;
  /**
   * Close the app on SIGTERM/SIGINT (default). A host running several apps in one process turns
   * this off and closes them itself, in order: Nest re-raises the signal after the first app closed.
   */
  shutdownHooks?: boolean;
}

/**
 * Creates and starts one app: pino as Nest's logger, graceful shutdown on SIGTERM/SIGINT
 * (Nest's shutdown hooks close consumers and pools), and the bound port logged.
 */
export async function bootstrapApp(options: BootstrapOptions): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(options.module, { bufferLogs: true });
  const limit = options.jsonBodyLimit ?? 1024 * 1024;
  app.useBodyParser('json', { limit, verify: refuseInvalidUtf8 });
  app.useBodyParser('urlencoded', { limit, extended: false, verify: refuseInvalidUtf8 });
  app.use(bodyErrorHandler(options.jsonBodyLimitSetting, options.bodyErrorShape ?? 'rest'));
  const logger = app.get(Logger);
  app.useLogger(logger);
  if (options.shutdownHooks !== false) app.enableShutdownHooks();
  if (options.cors) app.enableCors(options.cors);
  await app.listen(options.port, options.host ?? '0.0.0.0');
  const server = app.getHttpServer();
  const address = server.address() as import('node:net').AddressInfo | null;
  logger.log(`${options.name} listening on port ${address?.port}`, 'Bootstrap');
  return app;
}
