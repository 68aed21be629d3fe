import type { INestApplication, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';

export interface BootstrapOptions {
  module: Type<unknown> | import('@nestjs/common').DynamicModule;
  port: number;
  host?: string;
  name: string;
}

/**
 * Creates and starts one app: pino as Nest's logger, graceful shutdown on SIGTERM/SIGINT
 * (Nest's shutdown hooks close consumers and pools), and the bound port logged.
 */
export async function bootstrapApp(options: BootstrapOptions): Promise<INestApplication> {
  const app = await NestFactory.create(options.module, { bufferLogs: true });
  const logger = app.get(Logger);
  app.useLogger(logger);
  app.enableShutdownHooks();
  await app.listen(options.port, options.host ?? '0.0.0.0');
  const server = app.getHttpServer() as import('node:http').Server;
  const address = server.address() as import('node:net').AddressInfo | null;
  logger.log(`${options.name} listening on port ${address?.port}`, 'Bootstrap');
  return app;
}
