import type { TfRuntime } from '../backend/select-backend';
import { selectBackend, type BackendName } from '../backend/select-backend';
import { loadEncoderModel, type EncoderModel } from '../model/load-encoder-model';
import { imageToPixels, writePixels } from '../preprocess/image-to-pixels';

/** Batches are padded up to one of these sizes so the backend compiles a few shapes only. */
export const BATCH_SIZES = [1, 4, 8, 16] as const;

export interface ImageEncoderOptions {
  modelDir?: string;
  backend?: BackendName;
}

/** One image of a batch could not be decoded; the others were not encoded either. */
export class ImageDecodeError extends Error {
  constructor(
    readonly index: number,
    detail: string,
  ) {
    super(
      `image ${index} of the batch cannot be decoded: ${detail}; ingest normalizes images, so this one bypassed it or is corrupt`,
    );
    this.name = 'ImageDecodeError';
  }
}

/** The `ImageEncoder` port: images in, L2-normalized visual vectors out. */
export interface ImageEncoder {
  /** `modelVersion` component: the model id. */
  readonly id: string;
  readonly dim: number;
  readonly backend: BackendName;
  encode(images: readonly Buffer[]): Promise<Float32Array[]>;
  close(): Promise<void>;
}

/** TF.js image encoder running in the calling thread. */
export class TfImageEncoder implements ImageEncoder {
  private constructor(
    private readonly runtime: TfRuntime,
    private readonly model: EncoderModel,
  ) {}

  static async create(options: ImageEncoderOptions = {}): Promise<TfImageEncoder> {
    const runtime = await selectBackend(options.backend);
    return new TfImageEncoder(runtime, await loadEncoderModel(runtime.tf, options.modelDir));
  }

  get id(): string {
    return this.model.manifest.id;
  }
  get dim(): number {
    return this.model.manifest.embeddingSize;
  }
  get backend(): BackendName {
    return this.runtime.backend;
  }
  get skippedBackends(): TfRuntime['skipped'] {
    return this.runtime.skipped;
  }

  async encode(images: readonly Buffer[]): Promise<Float32Array[]> {
    const pixels = await Promise.all(
      images.map((image, index) =>
        imageToPixels(image, this.model.manifest).catch((error: Error) => {
          throw new ImageDecodeError(index, error.message);
        }),
      ),
    );
    const out: Float32Array[] = [];
    const max = BATCH_SIZES[BATCH_SIZES.length - 1]!;
    for (let start = 0; start < pixels.length; start += max) {
      out.push(...(await this.encodeBatch(pixels.slice(start, start + max))));
    }
    return out;
  }

  /** Time spent in the model alone, for the benchmark's raw-model column. */
  async encodePixels(pixels: readonly Uint8Array[]): Promise<Float32Array[]> {
    return this.encodeBatch(pixels);
  }

  get manifest(): EncoderModel['manifest'] {
    return this.model.manifest;
  }

  private async encodeBatch(pixels: readonly Uint8Array[]): Promise<Float32Array[]> {
    const { tf } = this.runtime;
    const { inputSize, pixelRange } = this.model.manifest;
    const padded = BATCH_SIZES.find((s) => s >= pixels.length) ?? pixels.length;
    const buffer = new Float32Array(padded * inputSize * inputSize * 3);
    pixels.forEach((p, row) => writePixels(buffer, row, p, pixelRange));
    const input = tf.tensor4d(buffer, [padded, inputSize, inputSize, 3]);
    try {
      const features = this.model.embed(input);
      try {
        const data = await features.data<'float32'>();
        const dim = features.shape[1];
        return pixels.map((_, row) => normalize(data.slice(row * dim, (row + 1) * dim)));
      } finally {
        features.dispose();
      }
    } finally {
      input.dispose();
    }
  }

  /** Live tensors in this encoder's TF.js instance (a leak test watches it). */
  numTensors(): number {
    return this.runtime.tf.memory().numTensors;
  }

  async close(): Promise<void> {
    this.model.dispose();
    return Promise.resolve();
  }
}

function normalize(v: Float32Array): Float32Array {
  let n = 0;
  for (const x of v) n += x * x;
  if (n > 0) {
    const inv = 1 / Math.sqrt(n);
    for (let i = 0; i < v.length; i++) v[i]! *= inv;
  }
  return v;
}
