import { normalize } from '../word-vectors/word-vectors';
import type { SemanticProjector } from './conse';

/**
 * DeViSE (Frome et al. 2013, "DeViSE: A Deep Visual-Semantic Embedding Model"): a linear map M
 * from the visual vector to word-vector space, trained so that an image scores its label's word
 * vector above every other label's by a margin. Projecting is one small matrix product, done
 * here in plain JS; training (hinge rank loss) lives with TF.js in @catalens/vision.
 */
export class DeviseProjector implements SemanticProjector {
  constructor(
    readonly id: string,
    /** Row-major `visualDim × dim` matrix (a TF.js dense kernel). */
    private readonly matrix: Float32Array,
    readonly visualDim: number,
    readonly dim: number,
  ) {
    if (matrix.length !== visualDim * dim) {
      throw new Error(`DeViSE matrix has ${matrix.length} values, expected ${visualDim} × ${dim}`);
    }
  }

  project(visual: Float32Array): Float32Array {
    if (visual.length !== this.visualDim) {
      throw new Error(
        `DeViSE head ${this.id} expects ${this.visualDim}-d visual vectors, got ${visual.length}; was it trained for another image model?`,
      );
    }
    const out = new Float32Array(this.dim);
    for (let i = 0; i < this.visualDim; i++) {
      const x = visual[i]!;
      if (x === 0) continue;
      const row = i * this.dim;
      for (let d = 0; d < this.dim; d++) out[d]! += x * this.matrix[row + d]!;
    }
    return normalize(out);
  }
}
