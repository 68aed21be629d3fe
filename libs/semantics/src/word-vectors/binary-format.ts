import { WordVectors } from './word-vectors';

/**
 * The compact word-vector file (`.wv`): parsing a 300-d GloVe text file takes minutes, reading
 * this takes milliseconds. Layout, little-endian:
 *
 *   "CLWV" | u32 version (1) | u32 dim | u32 count | u32 wordBytes | u32 sourceBytes
 *   | source fingerprint (UTF-8) | words (UTF-8, '\n'-separated) | zero padding to 4 bytes
 *   | count × dim float32, each row unit length
 */
const MAGIC = 'CLWV';
const VERSION = 1;
const HEADER = 24;

export class WordVectorFormatError extends Error {
  constructor(source: string, detail: string) {
    super(`${source} is not a usable word-vector file: ${detail}`);
    this.name = 'WordVectorFormatError';
  }
}

export function encodeWordVectors(vectors: WordVectors, fingerprint: string): Buffer {
  const words = Buffer.from(vectors.words.join('\n'), 'utf8');
  const source = Buffer.from(fingerprint, 'utf8');
  const textEnd = HEADER + source.length + words.length;
  const matrixStart = Math.ceil(textEnd / 4) * 4;
  const out = Buffer.alloc(matrixStart + vectors.matrix.byteLength);
  out.write(MAGIC, 0, 'ascii');
  out.writeUInt32LE(VERSION, 4);
  out.writeUInt32LE(vectors.dim, 8);
  out.writeUInt32LE(vectors.size, 12);
  out.writeUInt32LE(words.length, 16);
  out.writeUInt32LE(source.length, 20);
  source.copy(out, HEADER);
  words.copy(out, HEADER + source.length);
  Buffer.from(vectors.matrix.buffer, vectors.matrix.byteOffset, vectors.matrix.byteLength).copy(
    out,
    matrixStart,
  );
  return out;
}

export interface DecodedWordVectors {
  vectors: WordVectors;
  fingerprint: string;
}

export function decodeWordVectors(data: Buffer, name: string): DecodedWordVectors {
  if (data.length < HEADER || data.toString('ascii', 0, 4) !== MAGIC) {
    throw new WordVectorFormatError(
      name,
      'it does not start with "CLWV"; build one with scripts/semantics/build-word-vectors.mjs',
    );
  }
  const version = data.readUInt32LE(4);
  if (version !== VERSION)
    throw new WordVectorFormatError(name, `version ${version} is not supported (expected ${VERSION})`);
  const dim = data.readUInt32LE(8);
  const count = data.readUInt32LE(12);
  const wordBytes = data.readUInt32LE(16);
  const sourceBytes = data.readUInt32LE(20);
  const textEnd = HEADER + sourceBytes + wordBytes;
  const matrixStart = Math.ceil(textEnd / 4) * 4;
  if (dim === 0 || data.length !== matrixStart + count * dim * 4) {
    throw new WordVectorFormatError(
      name,
      `size ${data.length} does not match ${count} words × ${dim} dimensions (truncated?)`,
    );
  }
  const fingerprint = data.toString('utf8', HEADER, HEADER + sourceBytes);
  const words = count === 0 ? [] : data.toString('utf8', HEADER + sourceBytes, textEnd).split('\n');
  if (words.length !== count)
    throw new WordVectorFormatError(name, `${words.length} words listed, header says ${count}`);
  // Copy into an aligned buffer of our own: the file buffer may be a pooled slice.
  const matrix = new Float32Array(count * dim);
  Buffer.from(matrix.buffer).set(data.subarray(matrixStart));
  return { vectors: new WordVectors(words, matrix, dim, name), fingerprint };
}
