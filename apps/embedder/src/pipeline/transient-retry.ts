import { BusRecordRejectedError } from '@catalens/bus';
import { ContractViolationError } from '@catalens/contracts';
import { CollectionMismatchError, VectorStoreInputError } from '@catalens/vector-store';
import { ExponentialBackoff, handleWhen, retry, TaskCancelledError } from 'cockatiel';
import { UndecodableImageError } from '../model/embedding-runtime';

export type Stage = 'store' | 'database' | 'broker' | 'encoder';

/**
 * Errors that retrying cannot fix: bad records, bad vectors, a refused DLQ record, and
 * programming errors. Everything else (connection refused, timeouts, an unavailable store or
 * broker, a database that restarts) is waited out.
 */
export function isPermanent(error: unknown): boolean {
  return (
    error instanceof ContractViolationError ||
    error instanceof UndecodableImageError ||
    error instanceof VectorStoreInputError ||
    error instanceof CollectionMismatchError ||
    error instanceof BusRecordRejectedError ||
    error instanceof TypeError ||
    error instanceof RangeError ||
    error instanceof SyntaxError
  );
}

/** The partition is being revoked or the process stops: leave the batch uncommitted. */
export class BatchAbandonedError extends Error {
  constructor(stage: Stage) {
    super(`stopped while waiting for the ${stage}; the uncommitted records will be redelivered`);
    this.name = 'BatchAbandonedError';
  }
}

export interface RetryHooks {
  /** An attempt failed and the next one is scheduled (readiness goes false, metrics count it). */
  onRetry(stage: Stage, attempt: number, error: Error, delayMs: number): void;
  /** The stage succeeded after failing (readiness recovers). */
  onRecovered(stage: Stage): void;
}

/**
 * Retries a side effect on a dependency that is unavailable, with exponential backoff and no
 * attempt limit: records are never dropped because Postgres, the store or Kafka is down. Only
 * `signal` (shutdown, rebalance) ends the wait, and then nothing is committed.
 */
export class TransientRetry {
  constructor(
    private readonly backoff: { initialMs: number; maxMs: number },
    private readonly hooks: RetryHooks,
  ) {}

  async run<T>(stage: Stage, signal: AbortSignal, operation: () => Promise<T>): Promise<T> {
    // One policy per call: its retry events belong to this call's stage alone.
    const policy = retry(
      handleWhen((error) => !isPermanent(error) && !(error instanceof BatchAbandonedError)),
      {
        maxAttempts: Number.MAX_SAFE_INTEGER,
        backoff: new ExponentialBackoff({
          initialDelay: this.backoff.initialMs,
          maxDelay: this.backoff.maxMs,
        }),
      },
    );
    let failed = false;
    policy.onRetry((event) => {
      failed = true;
      const error = 'error' in event ? event.error : new Error(`returned ${String(event.value)}`);
      this.hooks.onRetry(stage, event.attempt, error, event.delay);
    });
    try {
      const result = await policy.execute(() => {
        if (signal.aborted) throw new BatchAbandonedError(stage);
        return operation();
      }, signal);
      if (failed) this.hooks.onRecovered(stage);
      return result;
    } catch (error) {
      if (error instanceof TaskCancelledError || signal.aborted) throw new BatchAbandonedError(stage);
      throw error;
    }
  }
}
