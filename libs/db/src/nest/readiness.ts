/** Structurally the ReadinessCheck of @catalens/observability (kept local to avoid a dependency cycle). */
export interface ReadinessCheckLike {
  name: string;
  check(): Promise<void>;
}
