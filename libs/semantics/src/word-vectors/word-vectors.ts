/**
 * A word-vector table (GloVe or compatible): unit-length rows in one Float32Array, so a dot
 * product is a cosine similarity and nearest-word queries are one pass over contiguous memory.
 */
export class WordVectors {
  private readonly index: Map<string, number>;

  constructor(
    readonly words: readonly string[],
    /** `words.length × dim`, row i is the unit vector of words[i]. */
    readonly matrix: Float32Array,
    readonly dim: number,
    /** Where the vectors came from, for logs and reports. */
    readonly source: string,
  ) {
    if (matrix.length !== words.length * dim) {
      throw new Error(
        `word-vector table is inconsistent: ${words.length} words × ${dim} ≠ ${matrix.length} values`,
      );
    }
    this.index = new Map(words.map((w, i) => [w, i]));
  }

  get size(): number {
    return this.words.length;
  }

  has(word: string): boolean {
    return this.index.has(word);
  }

  /** The unit vector of `word` (a view into the table: do not modify), or undefined if unknown. */
  vector(word: string): Float32Array | undefined {
    const i = this.index.get(word);
    return i === undefined ? undefined : this.matrix.subarray(i * this.dim, (i + 1) * this.dim);
  }

  /** Unit-length mean of the words' vectors; undefined when any word is unknown. */
  phrase(words: readonly string[]): Float32Array | undefined {
    const out = new Float32Array(this.dim);
    for (const w of words) {
      const v = this.vector(w);
      if (!v) return undefined;
      for (let d = 0; d < this.dim; d++) out[d]! += v[d]!;
    }
    return normalize(out);
  }

  /** The `k` words closest to `query` (cosine), optionally among the first `limit` (most frequent) only. */
  nearest(
    query: Float32Array,
    k: number,
    options: { limit?: number; exclude?: ReadonlySet<string> } = {},
  ): { word: string; score: number }[] {
    const n = Math.min(this.size, options.limit ?? this.size);
    const best: { word: string; score: number }[] = [];
    for (let i = 0; i < n; i++) {
      const word = this.words[i]!;
      if (options.exclude?.has(word)) continue;
      const score = dot(query, this.matrix, i * this.dim, this.dim);
      if (best.length < k || score > best[best.length - 1]!.score) {
        best.push({ word, score });
        best.sort((a, b) => b.score - a.score);
        if (best.length > k) best.pop();
      }
    }
    return best;
  }
}

export function dot(a: Float32Array, matrix: Float32Array, offset: number, dim: number): number {
  let s = 0;
  for (let d = 0; d < dim; d++) s += a[d]! * matrix[offset + d]!;
  return s;
}

/** Scales `v` to unit length in place; the zero vector stays zero. */
export function normalize(v: Float32Array): Float32Array {
  let n = 0;
  for (let i = 0; i < v.length; i++) n += v[i]! * v[i]!;
  if (n === 0) return v;
  const inv = 1 / Math.sqrt(n);
  for (let i = 0; i < v.length; i++) v[i]! *= inv;
  return v;
}

export function cosine(a: Float32Array, b: Float32Array): number {
  let s = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    s += a[i]! * b[i]!;
    na += a[i]! * a[i]!;
    nb += b[i]! * b[i]!;
  }
  return na === 0 || nb === 0 ? 0 : s / Math.sqrt(na * nb);
}
