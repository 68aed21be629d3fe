import { Controller, Get, Inject } from '@nestjs/common';
import { HealthCheck, HealthCheckService, HealthIndicatorService } from '@nestjs/terminus';
import { Gauge, Registry } from 'prom-client';
import { METRICS_REGISTRY } from '../metrics/metrics.tokens';
import { READINESS_CHECKS, type ReadinessCheck } from './readiness-check';

const CHECK_TIMEOUT_MS = 5_000;

async function bounded(check: ReadinessCheck): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      check.check(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`no answer within ${CHECK_TIMEOUT_MS} ms`)),
          CHECK_TIMEOUT_MS,
        );
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * `/healthz`: the process is alive (no dependency is consulted, so a broker outage never gets
 * pods killed). `/readyz`: every dependency answers; 503 with the failing ones named otherwise.
 */
@Controller()
export class HealthController {
  private readonly up: Gauge;

  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    @Inject(READINESS_CHECKS) private readonly checks: ReadinessCheck[],
    @Inject(METRICS_REGISTRY) registry: Registry,
  ) {
    this.up =
      (registry.getSingleMetric('catalens_dependency_up') as Gauge | undefined) ??
      new Gauge({
        name: 'catalens_dependency_up',
        help: '1 when the dependency answered the last readiness check, else 0',
        labelNames: ['dependency'],
        registers: [registry],
      });
  }

  @Get('healthz')
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('readyz')
  @HealthCheck()
  ready() {
    return this.health.check(
      this.checks.map((check) => async () => {
        const indicator = this.indicators.check(check.name);
        try {
          await bounded(check);
          this.up.set({ dependency: check.name }, 1);
          return indicator.up();
        } catch (error) {
          this.up.set({ dependency: check.name }, 0);
          return indicator.down({ message: error instanceof Error ? error.message : String(error) });
        }
      }),
    );
  }
}
