export { ObservabilityModule, type ObservabilityOptions } from './observability.module';
export { READINESS_CHECKS, type ReadinessCheck } from './health/readiness-check';
export { METRICS_REGISTRY } from './metrics/metrics.tokens';
export { bootstrapApp, type BootstrapOptions } from './bootstrap';
export { runMain } from './run-main';
export { type BodyError, isBodyError } from './body-errors';
