/** One dependency an app needs before it can serve: Kafka, the database, the vector store, a model. */
export interface ReadinessCheck {
  name: string;
  /** Resolves when the dependency answers; throws with a reason otherwise. Must be bounded in time. */
  check(): Promise<void>;
}

/** DI token: the app's list of ReadinessCheck. */
export const READINESS_CHECKS = Symbol.for('catalens.ReadinessChecks');
