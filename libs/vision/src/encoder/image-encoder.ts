import { normalize } from '@catalens/semantics';
import type { Tensor2D } from '@tensorflow/tfjs';
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

export interface EncodedImage {
  /** L2-normalized visual vector. */
  visual: Float32Array;
  /** Class probabilities, in `labels` order (when asked for). */
  probabilities?: Float32Array;
}

/** One image of a batch could not be decoded; the others were not encoded either. */
export class ImageDecodeError extends Error {
  constructor(
    readonly index: number,
    readonly detail: string,
  ) {
    super(
      `image ${index} of the batch cannot be decoded: ${detail}; ingest normalizes images, so this one bypassed it or is corrupt`,
    );
    this.name = 'ImageDecodeError';
  }
}

/** Seconds one encode call spent decoding and resizing, and in the model. */
export interface EncodeTiming {
  images: number;
  preprocessSeconds: number;
  inferSeconds: number;
}

/** DI token for the `ImageEncoder` port. */
export const IMAGE_ENCODER = Symbol('IMAGE_ENCODER');

/** The `ImageEncoder` port: images in, L2-normalized visual vectors out. */
export interface ImageEncoder {
  /** `modelVersion` component: the model id. */
  readonly id: string;
  readonly dim: number;
  /** What runs the model: `onnx-cpu`, or the TF.js backend (`wasm`, `tensorflow`, …). */
  readonly backend: string;
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
    return (await this.encodeImages(images, false)).map((e) => e.visual);
  }

  /** Class names of `probabilities`, or null when the model is not a classifier. */
  get labels(): readonly string[] | null {
    return this.model.labels;
  }

  /** Visual vectors plus the classifier's class probabilities (for ConSE), in image order. */
  async encodeWithProbabilities(images: readonly Buffer[]): Promise<EncodedImage[]> {
    if (!this.model.labels || !this.model.manifest.probabilitiesLayer) {
      throw new Error(
        `model ${this.id} has no class probabilities (catalens-model.json probabilitiesLayer, labelsFile)`,
      );
    }
    return this.encodeImages(images, true);
  }

  private async encodeImages(images: readonly Buffer[], withProbabilities: boolean): Promise<EncodedImage[]> {
    return (await this.encodeTimed(images, withProbabilities)).encoded;
  }

  /** Encodes and reports where the time went (decode + resize vs the model), for metrics. */
  encodeTimed(
    images: readonly Buffer[],
    withProbabilities: boolean,
  ): Promise<{ encoded: EncodedImage[]; timing: EncodeTiming }> {
    return encodeInBatches(images, this.model.manifest, BATCH_SIZES[BATCH_SIZES.length - 1]!, (pixels) =>
      this.encodeBatch(pixels, withProbabilities),
    );
  }

  /** Time spent in the model alone, for the benchmark's raw-model column. */
  async encodePixels(pixels: readonly Uint8Array[]): Promise<Float32Array[]> {
    return (await this.encodeBatch(pixels, false)).map((e) => e.visual);
  }

  get manifest(): EncoderModel['manifest'] {
    return this.model.manifest;
  }

  private async encodeBatch(
    pixels: readonly Uint8Array[],
    withProbabilities: boolean,
  ): Promise<EncodedImage[]> {
    const { tf, backend } = this.runtime;
    // A TF.js instance has one active backend per thread; another encoder may have switched it.
    if ((backend === 'wasm' || backend === 'cpu') && tf.getBackend() !== backend)
      await tf.setBackend(backend);
    const { inputSize, pixelRange } = this.model.manifest;
    const padded = BATCH_SIZES.find((s) => s >= pixels.length) ?? pixels.length;
    const buffer = new Float32Array(padded * inputSize * inputSize * 3);
    pixels.forEach((p, row) => writePixels(buffer, row, p, pixelRange));
    const input = tf.tensor4d(buffer, [padded, inputSize, inputSize, 3]);
    let outputs: { features: Tensor2D; probabilities?: Tensor2D } | undefined;
    try {
      outputs = this.model.run(input, withProbabilities);
      const features = await outputs.features.data<'float32'>();
      const probabilities = outputs.probabilities ? await outputs.probabilities.data<'float32'>() : null;
      const dim = outputs.features.shape[1];
      const classes = outputs.probabilities?.shape[1] ?? 0;
      return pixels.map((_, row) => ({
        visual: normalize(features.slice(row * dim, (row + 1) * dim)),
        ...(probabilities ? { probabilities: probabilities.slice(row * classes, (row + 1) * classes) } : {}),
      }));
    } finally {
      input.dispose();
      outputs?.features.dispose();
      outputs?.probabilities?.dispose();
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

/**
 * Decodes and resizes every image (the first that fails is an ImageDecodeError with its index),
 * then runs the model on batches of at most `maxBatch`, timing the two stages apart. Every
 * engine encodes this way.
 */
export async function encodeInBatches(
  images: readonly Buffer[],
  manifest: EncoderModel['manifest'],
  maxBatch: number,
  encodeBatch: (pixels: readonly Uint8Array[]) => Promise<EncodedImage[]>,
): Promise<{ encoded: EncodedImage[]; timing: EncodeTiming }> {
  const started = performance.now();
  const pixels = await Promise.all(
    images.map((image, index) =>
      imageToPixels(image, manifest).catch((error: Error) => {
        throw new ImageDecodeError(index, error.message);
      }),
    ),
  );
  const preprocessed = performance.now();
  const encoded: EncodedImage[] = [];
  for (let start = 0; start < pixels.length; start += maxBatch)
    encoded.push(...(await encodeBatch(pixels.slice(start, start + maxBatch))));
  return {
    encoded,
    timing: {
      images: images.length,
      preprocessSeconds: (preprocessed - started) / 1000,
      inferSeconds: (performance.now() - preprocessed) / 1000,
    },
  };
}
