import { mkdtempSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeWordVectors, encodeWordVectors, WordVectorFormatError } from './binary-format';
import { GloveParseError, readGloveText } from './glove-text';
import { DEFAULT_WORD_VECTORS, loadWordVectors } from './load-word-vectors';

const dir = mkdtempSync(join(tmpdir(), 'catalens-wv-'));
const glove = (name: string, text: string): string => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

describe('GloVe text format', () => {
  it('reads any dimension, skips a word2vec header, normalizes rows', async () => {
    const vectors = await readGloveText(glove('a.txt', '2 3\ncat 3 4 0\ndog 0 0 2\n'));
    expect(vectors.words).toEqual(['cat', 'dog']);
    expect(vectors.dim).toBe(3);
    expect(Array.from(vectors.vector('cat')!)).toEqual([0.6000000238418579, 0.800000011920929, 0]);
  });

  it('names the line where the dimension changes', async () => {
    await expect(readGloveText(glove('b.txt', 'cat 1 2\ndog 1 2 3\n'))).rejects.toThrow(GloveParseError);
    await expect(readGloveText(glove('b.txt', 'cat 1 2\ndog 1 2 3\n'))).rejects.toThrow(
      /b\.txt:2: 3 numbers where earlier lines had 2/,
    );
  });

  it('names a value that is not a number', async () => {
    await expect(readGloveText(glove('c.txt', 'cat 1 x\n'))).rejects.toThrow(/c\.txt:1: "x" is not a number/);
  });
});

describe('binary word-vector file', () => {
  it('round-trips words, vectors and the source fingerprint', async () => {
    const vectors = await readGloveText(glove('d.txt', 'über 1 2\nt-shirt 3 4\n'));
    const decoded = decodeWordVectors(encodeWordVectors(vectors, 'fp'), 'x.wv');
    expect(decoded.fingerprint).toBe('fp');
    expect(decoded.vectors.words).toEqual(['über', 't-shirt']);
    expect(decoded.vectors.matrix).toEqual(vectors.matrix);
  });

  it('refuses a truncated file with its size and expected shape', async () => {
    const bytes = encodeWordVectors(await readGloveText(glove('e.txt', 'a 1 2\n')), 'fp');
    expect(() => decodeWordVectors(bytes.subarray(0, bytes.length - 1), 'cut.wv')).toThrow(
      WordVectorFormatError,
    );
    expect(() => decodeWordVectors(Buffer.from('nope'), 'junk.wv')).toThrow(/does not start with "CLWV"/);
  });
});

describe('loadWordVectors', () => {
  it('parses a text file once, then reads the cache until the file changes', async () => {
    const path = glove('f.txt', 'cat 1 0\ndog 0 1\n');
    expect((await loadWordVectors(path)).via).toBe('text');
    expect((await loadWordVectors(path)).via).toBe('cache');
    writeFileSync(path, 'cat 1 0\ndog 0 1\nemu 1 1\n');
    utimesSync(path, new Date(), new Date(Date.now() + 5000));
    const reloaded = await loadWordVectors(path);
    expect(reloaded.via).toBe('text');
    expect(reloaded.vectors.has('emu')).toBe(true);
  });

  it('says how to fix a missing file', async () => {
    await expect(loadWordVectors(join(dir, 'nope.txt'))).rejects.toThrow(/GLOVE_PATH/);
  });

  it('ships GloVe vectors whose neighbours make sense', async () => {
    const { vectors } = await loadWordVectors(DEFAULT_WORD_VECTORS);
    const near = (w: string): string[] => vectors.nearest(vectors.vector(w)!, 8).map((n) => n.word);
    expect(vectors.dim).toBe(100);
    expect(near('sofa')).toEqual(expect.arrayContaining(['couch']));
    expect(near('shoe')).toEqual(expect.arrayContaining(['shoes']));
    expect(near('kitchen')).toEqual(expect.arrayContaining(['bathroom']));
  });
});
