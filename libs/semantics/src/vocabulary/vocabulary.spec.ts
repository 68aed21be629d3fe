import fc from 'fast-check';
import { Tagger } from '../tagging/tagger';
import { TextQueryEncoder } from '../text/text-query-encoder';
import { loadWordVectors } from '../word-vectors/load-word-vectors';
import { cosine, normalize, type WordVectors } from '../word-vectors/word-vectors';
import { PRODUCTS, REAL_ESTATE } from './shipped-vocabularies';
import { Vocabulary, VocabularyError } from './vocabulary';

let vectors: WordVectors;
let products: Vocabulary;
let realEstate: Vocabulary;
beforeAll(async () => {
  vectors = (await loadWordVectors()).vectors;
  products = Vocabulary.build(PRODUCTS, vectors);
  realEstate = Vocabulary.build(REAL_ESTATE, vectors);
});

describe('shipped vocabularies', () => {
  it('know every word of every term', () => {
    expect(products.terms.length).toBe(new Set(PRODUCTS.terms).size);
    expect(realEstate.terms.length).toBe(new Set(REAL_ESTATE.terms).size);
  });

  it('list every unknown word at once', () => {
    expect(() => Vocabulary.build({ name: 'x', terms: ['sofa', 'zzqx', 'red qqzv'] }, vectors)).toThrow(
      VocabularyError,
    );
    expect(() => Vocabulary.build({ name: 'x', terms: ['zzqx', 'red qqzv'] }, vectors)).toThrow(
      /"zzqx", "qqzv" are not in the word vectors/,
    );
  });

  it("apply a tenant's additions, removals, synonyms and stop-words", () => {
    const tenant = products.withOverrides(
      { add: ['apron'], remove: ['fur'], synonyms: { sofa: ['chesterfield'] }, stopWords: ['vintage'] },
      vectors,
    );
    expect(tenant.has('apron')).toBe(true);
    expect(tenant.has('fur')).toBe(false);
    expect(tenant.has('vintage')).toBe(false);
    expect(tenant.resolve('chesterfield')).toBe('sofa');
    expect(tenant.resolve('couch')).toBe('sofa');
    const groups = tenant.synonymGroups();
    expect(groups.sofa).toEqual(expect.arrayContaining(['chesterfield', 'couch']));
    expect(groups.sofa).toEqual([...groups.sofa!].sort());
    expect(Object.keys(groups)).toEqual(Object.keys(groups).sort());
  });
});

describe('Tagger', () => {
  const semantic = (text: string): Float32Array => new TextQueryEncoder(vectors).encode(text).vector!;

  it('tags a footwear vector with footwear words', () => {
    const tags = new Tagger(products).tag(semantic('sneakers running'));
    expect(tags.map((t) => t.term)).toEqual(expect.arrayContaining(['sneakers', 'shoes']));
  });

  it('never returns a word outside the vocabulary nor an excluded one, whatever the vector', () => {
    const tagger = new Tagger(products, { k: 10, threshold: -1 });
    fc.assert(
      fc.property(
        fc.array(fc.float({ min: -1, max: 1, noNaN: true }), { minLength: 100, maxLength: 100 }),
        fc.subarray(
          products.terms.map((t) => t.term),
          { maxLength: 20 },
        ),
        (raw, rejected) => {
          const tags = tagger.tag(normalize(Float32Array.from(raw)), { exclude: new Set(rejected) });
          return tags.length === 10 && tags.every((t) => products.has(t.term) && !rejected.includes(t.term));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('reports cosine scores above the threshold, best first', () => {
    const v = semantic('leather boots');
    const tags = new Tagger(products, { threshold: 0.4 }).tag(v);
    tags.forEach((t, i) => {
      expect(t.score).toBeCloseTo(cosine(v, products.term(t.term)!.vector), 5);
      expect(t.score).toBeGreaterThanOrEqual(0.4);
      if (i > 0) expect(t.score).toBeLessThanOrEqual(tags[i - 1]!.score);
    });
  });

  it('with CSLS demotes hub terms without leaving the vocabulary', () => {
    const reference = vectors.matrix.subarray(0, 5000 * vectors.dim);
    const plain = new Tagger(realEstate, { k: 8, threshold: 0 }).tag(semantic('granite kitchen island'));
    const csls = new Tagger(realEstate, { k: 8, threshold: 0, csls: { reference } }).tag(
      semantic('granite kitchen island'),
    );
    expect(csls.every((t) => realEstate.has(t.term))).toBe(true);
    expect(csls.map((t) => t.term)).toContain('kitchen');
    expect(csls.map((t) => t.term)).not.toEqual(plain.map((t) => t.term));
  });
});

describe('TextQueryEncoder', () => {
  it('matches phrases, resolves synonyms, drops stop-words and reports unknown words', () => {
    const encoded = new TextQueryEncoder(vectors, realEstate).encode(
      'Show me a cozy living room with a fridge, xyzzyq!',
    );
    expect(encoded.used).toEqual(['cozy', 'living room', 'refrigerator']);
    expect(encoded.ignored).toEqual(['show', 'me', 'a', 'with', 'a']);
    expect(encoded.unknown).toEqual(['xyzzyq']);
  });

  it('puts "kitchen" nearer the kitchen tag than the bedroom tag', () => {
    const v = new TextQueryEncoder(vectors, realEstate).encode('kitchen').vector!;
    expect(cosine(v, realEstate.term('kitchen')!.vector)).toBeGreaterThan(
      cosine(v, realEstate.term('bedroom')!.vector),
    );
  });

  it('returns no vector when nothing is known', () => {
    expect(new TextQueryEncoder(vectors, products).encode('the of qqqzx').vector).toBeNull();
  });
});
