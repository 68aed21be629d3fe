import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { normalize } from '@catalens/semantics';
import type { InferenceSession, Tensor } from 'onnxruntime-node';
import { DEFAULT_MODEL_DIR, ModelLoadError } from '../model/load-encoder-model';
import { modelManifestSchema, type ModelManifest } from '../model/model-manifest';
import { writePixels } from '../preprocess/image-to-pixels';
import { encodeInBatches, type EncodeTiming, type EncodedImage } from './image-encoder';

/** Images per session run; ONNX takes any batch size, so nothing is padded. */
const MAX_BATCH = 32;

/**
 * The image model on ONNX Runtime's CPU execution provider (onnxruntime-node; its binaries are in
 * the npm tarball). One single-threaded session per instance: a worker pool runs one per core,
 * which measured faster than one session with several intra-op threads (issue 24). The graph is
 * the TF.js model exported by scripts/models/efficientnet-lite0/export_onnx.py, same weights,
 * same preprocessing (imageToPixels), so both engines give the same vectors.
 */
export class OnnxImageEncoder {
  readonly backend = 'onnx-cpu' as const;

  private constructor(
    private readonly ort: typeof import('onnxruntime-node'),
    private readonly session: InferenceSession,
    readonly manifest: ModelManifest,
    readonly labels: readonly string[] | null,
    private readonly outputs: { features: string; probabilities: string | null },
  ) {}

  static async create(options: { modelDir?: string } = {}): Promise<OnnxImageEncoder> {
    const dir = options.modelDir ?? DEFAULT_MODEL_DIR;
    const read = (name: string): Promise<Buffer> =>
      readFile(join(dir, name)).catch((error: NodeJS.ErrnoException) => {
        throw new ModelLoadError(dir, `${name}: ${error.code === 'ENOENT' ? 'missing' : error.message}`);
      });
    const parsed = modelManifestSchema.safeParse(
      JSON.parse((await read('catalens-model.json')).toString('utf8')),
    );
    if (!parsed.success)
      throw new ModelLoadError(dir, `catalens-model.json: ${parsed.error.issues[0]!.message}`);
    const manifest = parsed.data;
    if (!manifest.onnxFile)
      throw new ModelLoadError(dir, 'catalens-model.json names no onnxFile: this model has no ONNX export');
    let labels: string[] | null = null;
    if (manifest.labelsFile) {
      const list = JSON.parse((await read(manifest.labelsFile)).toString('utf8')) as unknown;
      if (!Array.isArray(list) || !list.every((l) => typeof l === 'string'))
        throw new ModelLoadError(dir, `${manifest.labelsFile} must be a JSON list of class names`);
      labels = list;
    }
    // Loaded here, not at import: an image without the binding still runs the TF.js engines.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const ort = require('onnxruntime-node') as typeof import('onnxruntime-node');
    const session = await ort.InferenceSession.create(await read(manifest.onnxFile), {
      executionProviders: ['cpu'],
      intraOpNumThreads: 1,
      interOpNumThreads: 1,
      graphOptimizationLevel: 'all',
    });
    const output = (name: string | undefined): string | null => {
      if (!name) return null;
      if (!session.outputNames.includes(name))
        throw new ModelLoadError(
          dir,
          `${manifest.onnxFile} has no output "${name}" (outputs: ${session.outputNames.join(', ')})`,
        );
      return name;
    };
    return new OnnxImageEncoder(ort, session, manifest, labels, {
      features: output(manifest.embeddingLayer)!,
      probabilities: output(manifest.probabilitiesLayer),
    });
  }

  get id(): string {
    return this.manifest.id;
  }
  get dim(): number {
    return this.manifest.embeddingSize;
  }

  async encode(images: readonly Buffer[]): Promise<Float32Array[]> {
    return (await this.encodeTimed(images, false)).encoded.map((e) => e.visual);
  }

  async encodeWithProbabilities(images: readonly Buffer[]): Promise<EncodedImage[]> {
    if (!this.labels || !this.outputs.probabilities)
      throw new Error(
        `model ${this.id} has no class probabilities (catalens-model.json probabilitiesLayer, labelsFile)`,
      );
    return (await this.encodeTimed(images, true)).encoded;
  }

  encodeTimed(
    images: readonly Buffer[],
    withProbabilities: boolean,
  ): Promise<{ encoded: EncodedImage[]; timing: EncodeTiming }> {
    return encodeInBatches(images, this.manifest, MAX_BATCH, (pixels) =>
      this.encodeBatch(pixels, withProbabilities),
    );
  }

  /** The model alone on decoded pixels (the benchmark's raw-model column). */
  async encodePixels(pixels: readonly Uint8Array[]): Promise<Float32Array[]> {
    return (await this.encodeBatch(pixels, false)).map((e) => e.visual);
  }

  private async encodeBatch(
    pixels: readonly Uint8Array[],
    withProbabilities: boolean,
  ): Promise<EncodedImage[]> {
    if (pixels.length === 0) return [];
    const { inputSize, pixelRange } = this.manifest;
    const input = new Float32Array(pixels.length * inputSize * inputSize * 3);
    pixels.forEach((p, row) => writePixels(input, row, p, pixelRange));
    const fetches = [
      this.outputs.features,
      ...(withProbabilities && this.outputs.probabilities ? [this.outputs.probabilities] : []),
    ];
    const feeds = {
      [this.session.inputNames[0]!]: new this.ort.Tensor('float32', input, [
        pixels.length,
        inputSize,
        inputSize,
        3,
      ]),
    };
    const result = await this.session.run(feeds, fetches);
    const features = result[this.outputs.features]!;
    const probabilities = fetches.length > 1 ? result[this.outputs.probabilities!]! : null;
    try {
      const dim = features.dims[1]!;
      const data = features.data as Float32Array;
      const classes = probabilities?.dims[1] ?? 0;
      const probs = probabilities?.data as Float32Array | undefined;
      return pixels.map((_, row) => ({
        visual: normalize(data.slice(row * dim, (row + 1) * dim)),
        ...(probs ? { probabilities: probs.slice(row * classes, (row + 1) * classes) } : {}),
      }));
    } finally {
      for (const t of [features, probabilities] as (Tensor | null)[]) t?.dispose();
    }
  }

  async close(): Promise<void> {
    await this.session.release();
  }
}
