import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { WorkerRequest, WorkerResponse } from './encoder-worker';
import type { EngineOptions } from './engine';
import { ImageDecodeError, type EncodeTiming, type EncodedImage, type ImageEncoder } from './image-encoder';

interface PoolWorker {
  worker: Worker;
  busy: number;
}
interface Pending {
  worker: PoolWorker;
  resolve(encoded: EncodedImage[]): void;
  reject(error: Error): void;
}

/** An encoder worker died (a crash in the model runtime, out of memory): its requests failed; retry them. */
export class EncoderWorkerExitedError extends Error {
  readonly retryable = true;
  constructor(message: string) {
    super(message);
    this.name = 'EncoderWorkerExitedError';
  }
}

type WorkerScript = { script: string; workerData: EngineOptions };

/** Starts one worker and resolves when its model is loaded. */
function startWorker({ script, workerData }: WorkerScript) {
  const worker = new Worker(script, { workerData, stderr: false });
  return new Promise<{ worker: Worker; ready: Extract<WorkerResponse, { ready: true }> }>(
    (resolve, reject) => {
      worker.once('message', (m: WorkerResponse) =>
        'ready' in m
          ? resolve({ worker, ready: m })
          : reject(new Error('encoder worker spoke before it was ready')),
      );
      worker.once('error', reject);
      worker.once('exit', (code) =>
        reject(new Error(`encoder worker exited with code ${code} while loading the model`)),
      );
    },
  );
}

/**
 * Runs one engine instance per worker thread (ONNX Runtime with one intra-op thread, or TF.js,
 * whose WebAssembly backend is single-threaded in Node): this is how one process uses every core.
 * Each call goes to the least busy worker; batches larger than `chunk` are split across workers.
 * A worker that dies fails only its own requests (EncoderWorkerExitedError, retryable) and is
 * replaced by a new one; the others keep serving meanwhile.
 */
export class WorkerPoolImageEncoder implements ImageEncoder {
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private closed = false;

  private replacements = 0;

  private constructor(
    private readonly workers: PoolWorker[],
    private readonly source: WorkerScript,
    readonly id: string,
    readonly dim: number,
    readonly backend: string,
    readonly labels: readonly string[] | null,
    /** Why the onnx engine was not used, when it was asked for and could not load. */
    readonly fallback: string | undefined,
    private readonly chunk: number,
    private readonly onTiming: ((timing: EncodeTiming) => void) | undefined,
  ) {
    for (const w of workers) this.watch(w);
  }

  private watch(w: PoolWorker): void {
    w.worker.on('message', (message: WorkerResponse) => this.settle(message));
    // An uncaught error ends the worker: handled once, at its exit.
    w.worker.on('error', () => undefined);
    w.worker.once('exit', (code) => {
      if (this.closed) return;
      const index = this.workers.indexOf(w);
      if (index >= 0) this.workers.splice(index, 1);
      for (const [id, p] of this.pending) {
        if (p.worker !== w) continue;
        this.pending.delete(id);
        p.reject(
          new EncoderWorkerExitedError(
            `an encoder worker exited with code ${code}; it is being replaced, retry the request`,
          ),
        );
      }
      void this.replace();
    });
  }

  /** Starts a worker in place of one that died; retried with a backoff while the model fails to load. */
  private async replace(attempt = 1): Promise<void> {
    if (this.closed) return;
    try {
      const { worker } = await startWorker(this.source);
      if (this.closed) {
        await worker.terminate();
        return;
      }
      const replacement = { worker, busy: 0 };
      this.workers.push(replacement);
      this.watch(replacement);
      this.replacements++;
    } catch {
      await new Promise((r) => setTimeout(r, Math.min(30_000, 500 * 2 ** attempt)));
      return this.replace(attempt + 1);
    }
  }

  /** Workers started in place of ones that died, since the pool was created. */
  get replaced(): number {
    return this.replacements;
  }

  static async create(
    options: EngineOptions & {
      workers?: number;
      chunk?: number;
      /** Called once per worker request with its decode and model seconds (for metrics). */
      onTiming?: (timing: EncodeTiming) => void;
    } = {},
  ): Promise<WorkerPoolImageEncoder> {
    const count = options.workers ?? availableParallelism();
    // Worker threads need JavaScript: from sources (tests) they run the compiled worker in dist/.
    const script = __filename.endsWith('.ts')
      ? join(__dirname, '..', '..', 'dist', 'encoder', 'encoder-worker.js')
      : join(__dirname, 'encoder-worker.js');
    const workerData: EngineOptions = {
      ...(options.modelDir ? { modelDir: options.modelDir } : {}),
      ...(options.engine ? { engine: options.engine } : {}),
      ...(options.backend ? { backend: options.backend } : {}),
    };
    const source = { script, workerData };
    const started = await Promise.all(Array.from({ length: count }, () => startWorker(source)));
    const first = started[0]!.ready;
    return new WorkerPoolImageEncoder(
      started.map((s) => ({ worker: s.worker, busy: 0 })),
      source,
      first.id,
      first.dim,
      first.backend,
      first.labels,
      first.fallback,
      options.chunk ?? 8,
      options.onTiming,
    );
  }

  get size(): number {
    return this.workers.length;
  }

  async encode(images: readonly Buffer[]): Promise<Float32Array[]> {
    return (await this.run(images, false)).map((e) => e.visual);
  }

  async encodeWithProbabilities(images: readonly Buffer[]): Promise<EncodedImage[]> {
    return this.run(images, true);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all(this.workers.map((w) => w.worker.terminate()));
    this.failAll(new Error('the encoder pool was closed'));
  }

  private async run(images: readonly Buffer[], withProbabilities: boolean): Promise<EncodedImage[]> {
    if (this.closed) throw new Error('the encoder pool is closed');
    const chunks: Buffer[][] = [];
    for (let i = 0; i < images.length; i += this.chunk) chunks.push(images.slice(i, i + this.chunk));
    const results = await Promise.all(
      chunks.map((chunk, c) =>
        this.send(chunk, withProbabilities).catch((error: Error) => {
          if (error instanceof ImageDecodeError)
            throw new ImageDecodeError(c * this.chunk + error.index, error.detail);
          throw error;
        }),
      ),
    );
    return results.flat();
  }

  private send(images: Buffer[], withProbabilities: boolean): Promise<EncodedImage[]> {
    if (this.workers.length === 0)
      return Promise.reject(
        new EncoderWorkerExitedError('every encoder worker exited; replacements are starting, retry shortly'),
      );
    const target = this.workers.reduce((a, b) => (b.busy < a.busy ? b : a));
    const id = this.nextId++;
    target.busy++;
    // Copies, so the caller's buffers stay usable; the copies are transferred, not cloned again.
    const copies = images.map((b) => new Uint8Array(b));
    return new Promise<EncodedImage[]>((resolve, reject) => {
      this.pending.set(id, {
        worker: target,
        resolve: (e) => {
          target.busy--;
          resolve(e);
        },
        reject: (e) => {
          target.busy--;
          reject(e);
        },
      });
      const request: WorkerRequest = { id, images: copies, withProbabilities };
      target.worker.postMessage(
        request,
        copies.map((c) => c.buffer),
      );
    });
  }

  private settle(message: WorkerResponse): void {
    if ('ready' in message) return;
    const pending = this.pending.get(message.id);
    if (!pending) return;
    this.pending.delete(message.id);
    if ('encoded' in message) {
      this.onTiming?.(message.timing);
      pending.resolve(message.encoded);
    } else if (message.error.name === 'ImageDecodeError' && message.error.index !== undefined) {
      pending.reject(
        new ImageDecodeError(message.error.index, message.error.detail ?? message.error.message),
      );
    } else pending.reject(Object.assign(new Error(message.error.message), { name: message.error.name }));
  }

  private failAll(error: Error): void {
    for (const [id, p] of this.pending) {
      this.pending.delete(id);
      p.reject(error);
    }
  }
}
