/** One input's outcome inside a batch: a value, or an error that concerns that input alone. */
export type BatchOutcome<O> = { ok: true; value: O } | { ok: false; error: Error };

/**
 * Runs one batch. Per-input failures are returned as outcomes; a thrown error fails every input
 * of the batch (the runner itself could not work, e.g. a worker died).
 */
export type BatchRunner<I, O> = (inputs: I[]) => Promise<BatchOutcome<O>[]>;

export interface MicroBatcherOptions {
  /** A batch runs as soon as it has this many inputs. */
  maxBatch: number;
  /** …or when its oldest input has waited this long. */
  maxWaitMs: number;
  /** Batches running at once; the rest wait in the queue. */
  concurrency: number;
  /** Called when a batch starts: its size and how long its oldest input waited (seconds). */
  onDispatch?: (size: number, oldestWaitSeconds: number) => void;
}

interface Waiting<I, O> {
  input: I;
  enqueuedAt: number;
  resolve(value: O): void;
  reject(error: Error): void;
}

/**
 * Gathers inputs submitted from many callers (one per Kafka partition) into model-sized
 * batches: full batches run at once, partial ones after `maxWaitMs`. With `concurrency` above
 * the number of model workers, the next batch is decoded while the current one is inferred.
 */
export class MicroBatcher<I, O> {
  private readonly queue: Waiting<I, O>[] = [];
  private running = 0;
  private timer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(
    private readonly run: BatchRunner<I, O>,
    private readonly options: MicroBatcherOptions,
  ) {
    if (options.maxBatch < 1 || options.concurrency < 1)
      throw new RangeError('maxBatch and concurrency must be at least 1');
  }

  /** Inputs waiting for a batch (not yet running). */
  get queued(): number {
    return this.queue.length;
  }

  get inFlight(): number {
    return this.running;
  }

  submit(input: I): Promise<O> {
    if (this.closed) return Promise.reject(new Error('the batcher is closed'));
    return new Promise<O>((resolve, reject) => {
      this.queue.push({ input, enqueuedAt: performance.now(), resolve, reject });
      this.pump();
    });
  }

  /** Fails everything still waiting; running batches finish. */
  close(): void {
    this.closed = true;
    clearTimeout(this.timer);
    for (const w of this.queue.splice(0)) w.reject(new Error('the batcher is closed'));
  }

  private pump(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    while (this.running < this.options.concurrency && this.queue.length > 0) {
      const oldestWait = performance.now() - this.queue[0]!.enqueuedAt;
      if (this.queue.length < this.options.maxBatch && oldestWait < this.options.maxWaitMs) break;
      this.dispatch(this.queue.splice(0, this.options.maxBatch), oldestWait);
    }
    if (this.queue.length > 0 && this.running < this.options.concurrency) {
      const due = this.options.maxWaitMs - (performance.now() - this.queue[0]!.enqueuedAt);
      this.timer = setTimeout(() => this.pump(), Math.max(0, due));
    }
  }

  private dispatch(batch: Waiting<I, O>[], oldestWaitMs: number): void {
    this.running++;
    this.options.onDispatch?.(batch.length, oldestWaitMs / 1000);
    void this.run(batch.map((w) => w.input))
      .then((outcomes) => {
        if (outcomes.length !== batch.length)
          throw new Error(`batch runner returned ${outcomes.length} outcomes for ${batch.length} inputs`);
        outcomes.forEach((o, i) => (o.ok ? batch[i]!.resolve(o.value) : batch[i]!.reject(o.error)));
      })
      .catch((error: unknown) => {
        const failure = error instanceof Error ? error : new Error(String(error));
        batch.forEach((w) => w.reject(failure));
      })
      .finally(() => {
        this.running--;
        this.pump();
      });
  }
}
