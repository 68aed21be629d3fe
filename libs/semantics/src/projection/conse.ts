import { normalize } from '../word-vectors/word-vectors';

/**
 * Maps an image into word-vector space. `id` goes into the item's modelVersion, so vectors of
 * different projectors never share a collection.
 */
export interface SemanticProjector {
  readonly id: string;
  readonly dim: number;
}

/**
 * ConSE (Norouzi et al. 2014, "Zero-Shot Learning by Convex Combination of Semantic
 * Embeddings"): the semantic vector of an image is the probability-weighted mean of the word
 * vectors of its classifier's top-T labels, f(x) = 1/Z Σ_{t≤T} p(y_t|x)·s(y_t),
 * Z = Σ_{t≤T} p(y_t|x). No training: any classifier with named labels works.
 */
export class ConseProjector implements SemanticProjector {
  readonly dim: number;

  constructor(
    readonly id: string,
    /** One unit vector per classifier label (null for labels without one: they are skipped). */
    private readonly labelVectors: readonly (Float32Array | null)[],
    private readonly topT = 10,
  ) {
    const first = labelVectors.find((v) => v !== null);
    if (!first) throw new Error('ConSE needs at least one label with a word vector');
    this.dim = first.length;
  }

  /** `probabilities` over the classifier's labels, in label order. */
  project(probabilities: Float32Array): Float32Array {
    if (probabilities.length !== this.labelVectors.length) {
      throw new Error(
        `expected ${this.labelVectors.length} label probabilities, got ${probabilities.length}`,
      );
    }
    const top: { i: number; p: number }[] = [];
    probabilities.forEach((p, i) => {
      if (!this.labelVectors[i]) return;
      if (top.length < this.topT || p > top[top.length - 1]!.p) {
        top.push({ i, p });
        top.sort((a, b) => b.p - a.p);
        if (top.length > this.topT) top.pop();
      }
    });
    const out = new Float32Array(this.dim);
    for (const { i, p } of top) {
      const v = this.labelVectors[i]!;
      for (let d = 0; d < this.dim; d++) out[d]! += p * v[d]!;
    }
    // 1/Z does not change the direction; normalizing to unit length makes it a cosine-ready vector.
    return normalize(out);
  }
}
