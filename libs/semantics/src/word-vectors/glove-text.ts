import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { normalize, WordVectors } from './word-vectors';

export class GloveParseError extends Error {
  constructor(path: string, line: number, detail: string) {
    super(
      `${path}:${line}: ${detail} (expected the GloVe text format: a word, then its numbers, space-separated)`,
    );
    this.name = 'GloveParseError';
  }
}

export interface GloveReadOptions {
  /** Keep only the first `limit` words (GloVe files are ordered by frequency). */
  limit?: number;
  /** Keep only words this accepts (e.g. a vocabulary plus the most frequent words). */
  keep?: (word: string, rank: number) => boolean;
}

/**
 * Reads the standard GloVe text format (`word v1 … vd` per line, any dimension, optional
 * word2vec-style `count dim` header line) into unit vectors. The dimension is taken from the
 * first vector line; every other line must agree.
 */
export async function readGloveText(path: string, options: GloveReadOptions = {}): Promise<WordVectors> {
  const lines = createInterface({ input: createReadStream(path, { encoding: 'utf8' }), crlfDelay: Infinity });
  const words: string[] = [];
  const chunks: Float32Array[] = [];
  let dim = 0;
  let lineNo = 0;
  let rank = 0;
  const seen = new Set<string>();
  for await (const line of lines) {
    lineNo++;
    if (line.trim() === '') continue;
    const parts = line.trimEnd().split(' ');
    if (lineNo === 1 && parts.length === 2 && /^\d+$/.test(parts[0]!) && /^\d+$/.test(parts[1]!)) continue;
    if (dim === 0) dim = parts.length - 1;
    if (dim < 1) throw new GloveParseError(path, lineNo, 'a word without numbers');
    if (parts.length - 1 !== dim)
      throw new GloveParseError(path, lineNo, `${parts.length - 1} numbers where earlier lines had ${dim}`);
    const word = parts[0]!;
    const r = rank++;
    if (options.limit !== undefined && r >= options.limit) break;
    if (seen.has(word) || (options.keep && !options.keep(word, r))) continue;
    const v = new Float32Array(dim);
    for (let d = 0; d < dim; d++) {
      const x = Number(parts[d + 1]);
      if (!Number.isFinite(x)) throw new GloveParseError(path, lineNo, `"${parts[d + 1]}" is not a number`);
      v[d] = x;
    }
    seen.add(word);
    words.push(word);
    chunks.push(normalize(v));
  }
  if (words.length === 0) throw new GloveParseError(path, lineNo, 'no vectors found');
  const matrix = new Float32Array(words.length * dim);
  chunks.forEach((v, i) => matrix.set(v, i * dim));
  return new WordVectors(words, matrix, dim, path);
}
