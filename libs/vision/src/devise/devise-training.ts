import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type * as TfModule from '@tensorflow/tfjs';
import type { Tf } from '../backend/select-backend';

export interface DeviseTrainingSet {
  /** Unit visual vectors of the training images. */
  visual: readonly Float32Array[];
  /** Index into `labelVectors` of each image's label. */
  labels: readonly number[];
  /** Unit word vector of each label (its words' phrase vector). */
  labelVectors: readonly Float32Array[];
  /**
   * Per image, labels that are not negatives although they are not its label (the image's other
   * accepted words, when an image with several appears once per word).
   */
  alsoPositive?: readonly (readonly number[])[];
  /** Per image, labels it was explicitly judged not to be (rejected tags): hard negatives. */
  hardNegatives?: readonly (readonly number[])[];
}

export interface DeviseTrainingOptions {
  epochs?: number;
  batchSize?: number;
  learningRate?: number;
  /** The paper's margin. */
  margin?: number;
  /** How much more a hard negative's violation costs than an ordinary one's (default 3). */
  hardNegativeWeight?: number;
  onEpoch?: (epoch: number, loss: number) => void;
}

export interface DeviseHeadFiles {
  /** Row-major `visualDim × semanticDim` kernel. */
  kernel: Float32Array;
  visualDim: number;
  semanticDim: number;
  meta: Record<string, unknown>;
}

/**
 * Trains the DeViSE projection (a bias-free tf.layers dense layer, visual → word space) with the
 * hinge rank loss of Frome et al. 2013: for an image v of label l,
 *   loss = Σ_{j ≠ l} max(0, margin − t_l·Mv + t_j·Mv)
 * over the unit word vectors t of all training labels. Returns the trained kernel. A label in
 * `alsoPositive` is left out of an image's sum; one in `hardNegatives` weighs `hardNegativeWeight`.
 */
export async function trainDeviseHead(
  tf: Tf,
  data: DeviseTrainingSet,
  options: DeviseTrainingOptions = {},
): Promise<{ kernel: Float32Array; visualDim: number; semanticDim: number; finalLoss: number }> {
  const n = data.visual.length;
  if (n === 0 || n !== data.labels.length)
    throw new Error('DeViSE training needs one label per visual vector');
  const visualDim = data.visual[0]!.length;
  const semanticDim = data.labelVectors[0]!.length;
  const L = data.labelVectors.length;
  const margin = options.margin ?? 0.1;

  const x = tf.tensor2d(concat(data.visual, visualDim), [n, visualDim]);
  const y = tf.tidy(() => tf.oneHot(tf.tensor1d(data.labels as number[], 'int32'), L).toFloat());
  // The weight of each label's violation per image: 0 for its own (and other positive) labels.
  const weights = new Float32Array(n * L).fill(1);
  const hard = options.hardNegativeWeight ?? 3;
  for (let i = 0; i < n; i++) {
    for (const j of data.hardNegatives?.[i] ?? []) weights[i * L + j] = hard;
    for (const j of data.alsoPositive?.[i] ?? []) weights[i * L + j] = 0;
    weights[i * L + data.labels[i]!] = 0;
  }
  const w = tf.tensor2d(weights, [n, L]);
  const targets = tf.tensor2d(concat(data.labelVectors, semanticDim), [L, semanticDim]);
  const model = tf.sequential({
    layers: [
      tf.layers.dense({
        units: semanticDim,
        useBias: false,
        inputShape: [visualDim],
        kernelInitializer: 'glorotNormal',
        name: 'devise',
      }),
    ],
  });
  const hingeRank = (yTrue: TfModule.Tensor, wb: TfModule.Tensor, yPred: TfModule.Tensor): TfModule.Scalar =>
    tf.tidy(() => {
      const scores = tf.matMul(yPred, targets, false, true); // [b, L]: t_j·Mv
      const own = tf.sum(tf.mul(scores, yTrue), 1, true); // t_l·Mv
      const violations = tf.relu(tf.add(tf.sub(scores, own), margin));
      return tf.mean(tf.sum(tf.mul(violations, wb), 1));
    });
  // A custom loop: fit() insists the targets have the output's shape, and ours are labels.
  const optimizer = tf.train.adam(options.learningRate ?? 0.005);
  const batchSize = options.batchSize ?? 64;
  const order = Array.from({ length: n }, (_, i) => i);
  let finalLoss = NaN;
  try {
    for (let epoch = 1; epoch <= (options.epochs ?? 40); epoch++) {
      for (let i = order.length - 1; i > 0; i--) {
        const j = Math.floor(Math.random() * (i + 1));
        [order[i], order[j]] = [order[j]!, order[i]!];
      }
      let total = 0;
      for (let start = 0; start < n; start += batchSize) {
        const idx = tf.tensor1d(order.slice(start, start + batchSize), 'int32');
        const cost = optimizer.minimize(() => {
          const xb = tf.gather(x, idx);
          const yb = tf.gather(y, idx);
          const wb = tf.gather(w, idx);
          return hingeRank(yb, wb, model.apply(xb, { training: true }) as TfModule.Tensor);
        }, true);
        total += (await cost!.data())[0]! * Math.min(batchSize, n - start);
        tf.dispose([cost!, idx]);
      }
      finalLoss = total / n;
      options.onEpoch?.(epoch, finalLoss);
    }
    const kernel = (model.getLayer('devise').getWeights()[0]!.dataSync() as Float32Array).slice();
    return { kernel, visualDim, semanticDim, finalLoss };
  } finally {
    model.dispose();
    optimizer.dispose();
    tf.dispose([x, y, w, targets]);
  }
}

function concat(rows: readonly Float32Array[], dim: number): Float32Array {
  const out = new Float32Array(rows.length * dim);
  rows.forEach((r, i) => out.set(r, i * dim));
  return out;
}

/** A head directory: `devise.json` (what it was trained on) and `kernel.bin` (float32, row-major). */
export function saveDeviseHead(dir: string, head: DeviseHeadFiles): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, 'kernel.bin'),
    Buffer.from(head.kernel.buffer, head.kernel.byteOffset, head.kernel.byteLength),
  );
  writeFileSync(
    join(dir, 'devise.json'),
    JSON.stringify(
      {
        format: 'catalens-devise-v1',
        visualDim: head.visualDim,
        semanticDim: head.semanticDim,
        ...head.meta,
      },
      null,
      2,
    ),
  );
}

export function loadDeviseHead(dir: string): DeviseHeadFiles {
  let meta: Record<string, unknown>;
  try {
    meta = JSON.parse(readFileSync(join(dir, 'devise.json'), 'utf8')) as Record<string, unknown>;
  } catch (error) {
    throw new Error(
      `${dir} is not a DeViSE head (devise.json: ${(error as Error).message}); train one with \`catalens train devise\``,
      { cause: error },
    );
  }
  if (meta.format !== 'catalens-devise-v1')
    throw new Error(`${dir}/devise.json: unknown format ${String(meta.format)}`);
  const visualDim = Number(meta.visualDim);
  const semanticDim = Number(meta.semanticDim);
  const bytes = readFileSync(join(dir, 'kernel.bin'));
  if (bytes.length !== visualDim * semanticDim * 4)
    throw new Error(
      `${dir}/kernel.bin holds ${bytes.length} bytes, expected ${visualDim} × ${semanticDim} float32`,
    );
  const kernel = new Float32Array(visualDim * semanticDim);
  Buffer.from(kernel.buffer).set(bytes);
  return { kernel, visualDim, semanticDim, meta };
}
