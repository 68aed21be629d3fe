import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type * as TfModule from '@tensorflow/tfjs';
import type { Tf } from '../backend/select-backend';
import { modelManifestSchema, type ModelManifest } from './model-manifest';

const MODELS = resolve(__dirname, '..', '..', '..', '..', 'models');
/**
 * The visual encoder catalens ships: EfficientNet-Lite0 with ImageNet weights (see its SOURCE.md),
 * chosen over the nsfwjs MobileNetV2 backbone (still loadable) by measured retrieval precision.
 */
export const DEFAULT_MODEL_DIR = resolve(MODELS, 'efficientnet-lite0');
export const NSFWJS_MOBILENET_DIR = resolve(MODELS, 'nsfwjs-mobilenet-v2');

export class ModelLoadError extends Error {
  constructor(dir: string, detail: string) {
    super(`cannot load the image model in ${dir}: ${detail}`);
    this.name = 'ModelLoadError';
  }
}

export interface EncoderModel {
  manifest: ModelManifest;
  /** Maps a [n, size, size, 3] batch to [n, embeddingSize] features. Caller disposes. */
  /** Class names of the probabilities output, when the model has one. */
  labels: string[] | null;
  /**
   * Runs a [n, size, size, 3] batch: [n, embeddingSize] features, and [n, labels] class
   * probabilities when asked and available. The caller disposes the returned tensors.
   */
  run(
    batch: TfModule.Tensor4D,
    withProbabilities: boolean,
  ): { features: TfModule.Tensor2D; probabilities?: TfModule.Tensor2D };
  dispose(): void;
}

/**
 * Loads a TF.js layers or graph model from a local directory (never from a hub): `model.json`,
 * its weight shards, and `catalens-model.json`. Weights are read through a file IOHandler, so the
 * same code serves every backend.
 */
export async function loadEncoderModel(tf: Tf, dir: string = DEFAULT_MODEL_DIR): Promise<EncoderModel> {
  const read = (name: string): Promise<Buffer> =>
    readFile(join(dir, name)).catch((error: NodeJS.ErrnoException) => {
      throw new ModelLoadError(dir, `${name}: ${error.code === 'ENOENT' ? 'missing' : error.message}`);
    });
  const parsed = modelManifestSchema.safeParse(
    JSON.parse((await read('catalens-model.json')).toString('utf8')),
  );
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ModelLoadError(dir, `catalens-model.json ${issue.path.join('.')}: ${issue.message}`);
  }
  const manifest = parsed.data;
  const modelJson = JSON.parse((await read('model.json')).toString('utf8')) as TfModule.io.ModelJSON;
  const weightSpecs = modelJson.weightsManifest.flatMap((group) => group.weights);
  const shards = await Promise.all(modelJson.weightsManifest.flatMap((group) => group.paths).map(read));
  const weights = Buffer.concat(shards);
  const handler: TfModule.io.IOHandler = {
    load: () =>
      Promise.resolve({
        modelTopology: modelJson.modelTopology,
        weightSpecs,
        weightData: weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength),
        format: modelJson.format,
      }),
  };

  let labels: string[] | null = null;
  if (manifest.labelsFile) {
    const parsedLabels = JSON.parse((await read(manifest.labelsFile)).toString('utf8')) as unknown;
    if (!Array.isArray(parsedLabels) || !parsedLabels.every((l) => typeof l === 'string')) {
      throw new ModelLoadError(dir, `${manifest.labelsFile} must be a JSON list of class names`);
    }
    labels = parsedLabels;
  }
  const flat = (t: TfModule.Tensor, n: number): TfModule.Tensor2D => t.reshape([n, -1]);

  if (manifest.kind === 'layers') {
    const full = await tf.loadLayersModel(handler);
    const layer = (name: string, field: string): TfModule.layers.Layer => {
      try {
        return full.getLayer(name);
      } catch {
        throw new ModelLoadError(dir, `it has no layer "${name}" (catalens-model.json ${field})`);
      }
    };
    const features = layer(manifest.embeddingLayer, 'embeddingLayer').output as TfModule.SymbolicTensor;
    const featuresOnly = tf.model({ inputs: full.inputs, outputs: features });
    const probs = manifest.probabilitiesLayer
      ? (layer(manifest.probabilitiesLayer, 'probabilitiesLayer').output as TfModule.SymbolicTensor)
      : null;
    const both = probs ? tf.model({ inputs: full.inputs, outputs: [features, probs] }) : null;
    return {
      manifest,
      labels,
      run: (batch, withProbabilities) =>
        tf.tidy(() => {
          const n = batch.shape[0];
          if (withProbabilities && both) {
            const [f, p] = both.predict(batch) as TfModule.Tensor[];
            return { features: flat(f!, n), probabilities: flat(p!, n) };
          }
          return { features: flat(featuresOnly.predict(batch) as TfModule.Tensor, n) };
        }),
      dispose: () => full.dispose(),
    };
  }
  const graph = await tf.loadGraphModel(handler);
  return {
    manifest,
    labels,
    run: (batch, withProbabilities) =>
      tf.tidy(() => {
        const n = batch.shape[0];
        if (withProbabilities && manifest.probabilitiesLayer) {
          const [f, p] = graph.execute(batch, [
            manifest.embeddingLayer,
            manifest.probabilitiesLayer,
          ]) as TfModule.Tensor[];
          return { features: flat(f!, n), probabilities: flat(p!, n) };
        }
        return { features: flat(graph.execute(batch, manifest.embeddingLayer) as TfModule.Tensor, n) };
      }),
    dispose: () => graph.dispose(),
  };
}
