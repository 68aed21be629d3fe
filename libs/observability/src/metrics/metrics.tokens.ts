/** DI token: the app's prom-client Registry. */
export const METRICS_REGISTRY = Symbol.for('catalens.MetricsRegistry');
