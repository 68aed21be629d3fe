import type { Vocabulary } from '../vocabulary/vocabulary';
import { dot } from '../word-vectors/word-vectors';

export interface Tag {
  term: string;
  /** Cosine similarity between the image's semantic vector and the term's vector. */
  score: number;
}

export interface TaggerOptions {
  /** Tags per image. Default 5. */
  k?: number;
  /** Minimum cosine similarity for a tag. Default 0.25. */
  threshold?: number;
  /**
   * Rank by CSLS (Conneau et al. 2018, "Word Translation Without Parallel Data"):
   * 2·cos(x, t) − r(t), where r(t) is the mean cosine of term t to its `neighbors` nearest
   * reference vectors. Terms close to everything ("hubs") stop crowding out specific ones.
   * The reported score stays the plain cosine; only the order changes.
   */
  csls?: { reference: Float32Array; neighbors?: number };
}

export interface TagRequest {
  k?: number;
  threshold?: number;
  /** Terms never to return (a tenant's rejected tags). */
  exclude?: ReadonlySet<string>;
}

/** Tags = the vocabulary terms nearest to a semantic vector; never a word outside the vocabulary. */
export class Tagger {
  private readonly k: number;
  private readonly threshold: number;
  private readonly hubness: Float32Array | null;

  constructor(
    readonly vocabulary: Vocabulary,
    options: TaggerOptions = {},
  ) {
    this.k = options.k ?? 5;
    this.threshold = options.threshold ?? 0.25;
    this.hubness = options.csls
      ? hubness(vocabulary, options.csls.reference, options.csls.neighbors ?? 10)
      : null;
  }

  tag(semantic: Float32Array, request: TagRequest = {}): Tag[] {
    const { dim, terms, matrix } = this.vocabulary;
    if (semantic.length !== dim) {
      throw new Error(
        `semantic vector has ${semantic.length} dimensions, the vocabulary ${dim}; were they built from the same word vectors?`,
      );
    }
    const k = request.k ?? this.k;
    const threshold = request.threshold ?? this.threshold;
    const scored: { term: string; score: number; rank: number }[] = [];
    terms.forEach((t, i) => {
      if (request.exclude?.has(t.term)) return;
      const score = dot(semantic, matrix, i * dim, dim);
      if (score < threshold) return;
      scored.push({ term: t.term, score, rank: this.hubness ? 2 * score - this.hubness[i]! : score });
    });
    return scored
      .sort((a, b) => b.rank - a.rank)
      .slice(0, k)
      .map(({ term, score }) => ({ term, score }));
  }
}

/** r(t): mean cosine of each term to its `neighbors` nearest rows of `reference` (unit rows). */
function hubness(vocabulary: Vocabulary, reference: Float32Array, neighbors: number): Float32Array {
  const { dim, terms, matrix } = vocabulary;
  const rows = reference.length / dim;
  if (!Number.isInteger(rows) || rows < neighbors) {
    throw new Error(`CSLS reference must hold at least ${neighbors} rows of ${dim} numbers`);
  }
  const out = new Float32Array(terms.length);
  const term = new Float32Array(dim);
  for (let i = 0; i < terms.length; i++) {
    term.set(matrix.subarray(i * dim, (i + 1) * dim));
    const top: number[] = [];
    for (let r = 0; r < rows; r++) {
      const s = dot(term, reference, r * dim, dim);
      if (top.length < neighbors) {
        top.push(s);
        top.sort((a, b) => a - b);
      } else if (s > top[0]!) {
        top[0] = s;
        top.sort((a, b) => a - b);
      }
    }
    out[i] = top.reduce((a, b) => a + b, 0) / top.length;
  }
  return out;
}
