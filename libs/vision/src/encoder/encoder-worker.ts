import { parentPort, workerData } from 'node:worker_threads';
import { createLocalEncoder, type EngineOptions } from './engine';
import type { EncodeTiming, EncodedImage } from './image-encoder';

/** Messages between the pool and a worker. Image bytes and vectors travel as transferred buffers. */
export type WorkerRequest =
  { id: number; images: Uint8Array[]; withProbabilities: boolean } | { id: number; close: true };
export type WorkerResponse =
  | { id: number; encoded: EncodedImage[]; timing: EncodeTiming }
  | { id: number; error: { name: string; message: string; index?: number; detail?: string } }
  | { ready: true; id: string; dim: number; backend: string; labels: string[] | null; fallback?: string };

async function main(): Promise<void> {
  const port = parentPort!;
  const { encoder, fallback } = await createLocalEncoder(workerData as EngineOptions);
  port.postMessage({
    ready: true,
    id: encoder.id,
    dim: encoder.dim,
    backend: encoder.backend,
    labels: encoder.labels ? [...encoder.labels] : null,
    ...(fallback ? { fallback } : {}),
  } satisfies WorkerResponse);
  port.on('message', (request: WorkerRequest) => {
    if ('close' in request) {
      void encoder.close().then(() => port.close());
      return;
    }
    const images = request.images.map((i) => Buffer.from(i.buffer, i.byteOffset, i.byteLength));
    encoder.encodeTimed(images, request.withProbabilities).then(
      ({ encoded, timing }) => {
        const transfer = encoded.flatMap((e) => [
          e.visual.buffer,
          ...(e.probabilities ? [e.probabilities.buffer] : []),
        ]) as ArrayBuffer[];
        port.postMessage({ id: request.id, encoded, timing } satisfies WorkerResponse, transfer);
      },
      (error: Error & { index?: number; detail?: string }) => {
        port.postMessage({
          id: request.id,
          error: {
            name: error.name,
            message: error.message,
            ...(error.index !== undefined
              ? { index: error.index, detail: error.detail ?? error.message }
              : {}),
          },
        } satisfies WorkerResponse);
      },
    );
  });
}

void main().catch((error: Error) => {
  // The pool sees the worker exit with this on stderr and reports the start-up failure.
  console.error(error.stack ?? error.message);
  process.exit(1);
});
