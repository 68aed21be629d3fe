import {
  type DynamicModule,
  type FactoryProvider,
  type MiddlewareConsumer,
  Module,
  type NestModule,
} from '@nestjs/common';
import { HttpMetricsMiddleware } from './metrics/http-metrics.middleware';
import { TerminusModule } from '@nestjs/terminus';
import { LoggerModule } from 'nestjs-pino';
import { Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import { HealthController } from './health/health.controller';
import { READINESS_CHECKS, type ReadinessCheck } from './health/readiness-check';
import { MetricsController } from './metrics/metrics.controller';
import { METRICS_REGISTRY } from './metrics/metrics.tokens';

export interface ObservabilityOptions {
  /** `ingest`, `embedder`, `graphql`: a label on every metric and log line. */
  app: string;
  logLevel: string;
  /** Builds the app's READINESS_CHECKS from injected dependencies (e.g. BUS_READINESS). */
  readiness: { inject: FactoryProvider['inject']; useFactory: (...deps: never[]) => ReadinessCheck[] };
}

/**
 * JSON logs (pino), Prometheus metrics and health endpoints, the same in every app.
 * Secrets never reach the logs: authorization and API-key headers are redacted.
 */
@Module({})
export class ObservabilityModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(HttpMetricsMiddleware).forRoutes('*');
  }

  static forRoot(options: ObservabilityOptions): DynamicModule {
    const registry = new Registry();
    registry.setDefaultLabels({ app: options.app });
    collectDefaultMetrics({ register: registry, prefix: 'catalens_' });
    new Gauge({
      name: 'catalens_build_info',
      help: 'Build information; the value is always 1',
      labelNames: ['version', 'node'],
      registers: [registry],
    }).set({ version: process.env.npm_package_version ?? 'dev', node: process.version }, 1);
    return {
      module: ObservabilityModule,
      global: true,
      imports: [
        TerminusModule.forRoot({ logger: false }),
        LoggerModule.forRoot({
          pinoHttp: {
            level: options.logLevel,
            base: { app: options.app },
            redact: ['req.headers.authorization', 'req.headers["x-api-key"]', 'req.headers.cookie'],
            // A client's mistake is one line at warn, never an error with a stack: under attack
            // those would flood the log and hide real faults. Server faults stay errors.
            customLogLevel: (_req, res, error) =>
              error || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info',
            // Probes and scrapes are frequent and uninteresting.
            autoLogging: { ignore: (req) => ['/healthz', '/readyz', '/metrics'].includes(req.url ?? '') },
          },
        }),
      ],
      controllers: [HealthController, MetricsController],
      providers: [
        { provide: METRICS_REGISTRY, useValue: registry },
        {
          provide: READINESS_CHECKS,
          inject: options.readiness.inject,
          useFactory: options.readiness.useFactory,
        },
      ],
      exports: [METRICS_REGISTRY],
    };
  }
}
