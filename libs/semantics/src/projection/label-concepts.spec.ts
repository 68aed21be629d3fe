import { TextQueryEncoder } from '../text/text-query-encoder';
import { PRODUCTS } from '../vocabulary/shipped-vocabularies';
import { TenantVocabularies } from '../vocabulary/tenant-vocabulary';
import { Vocabulary } from '../vocabulary/vocabulary';
import { loadWordVectors } from '../word-vectors/load-word-vectors';
import { cosine, type WordVectors } from '../word-vectors/word-vectors';
import {
  ConceptSpace,
  LabelConceptsError,
  lemmaForms,
  parseLabelConcepts,
  type LabelConcepts,
} from './label-concepts';

// A three-class classifier placed in WordNet by hand (the shipped file comes from the build script).
const LABELS = ['running shoe', 'bathtub, bathing tub', 'tabby, tabby cat'];
const CONCEPTS: LabelConcepts = {
  source: 'test',
  classes: [
    {
      label: LABELS[0]!,
      synset: 'n1',
      concepts: [
        ['running shoe', 0],
        ['shoe', 1],
        ['footwear', 2],
      ],
    },
    {
      label: LABELS[1]!,
      synset: 'n2',
      concepts: [
        ['bathtub', 0],
        ['tub', 0],
        ['bathroom', 1],
        ['vessel', 1],
      ],
    },
    {
      label: LABELS[2]!,
      synset: 'n3',
      concepts: [
        ['tabby', 0],
        ['cat', 2],
      ],
    },
  ],
};

let vectors: WordVectors;
let space: ConceptSpace;
beforeAll(async () => {
  vectors = (await loadWordVectors()).vectors;
  space = new ConceptSpace(CONCEPTS, vectors);
});

describe('parseLabelConcepts', () => {
  it('accepts a file that describes the classifier label for label', () => {
    expect(parseLabelConcepts(JSON.parse(JSON.stringify(CONCEPTS)), LABELS, 'f').classes).toHaveLength(3);
  });

  it.each([
    [
      'another classifier size',
      { source: 's', classes: CONCEPTS.classes.slice(0, 2) },
      /2 classes for a classifier of 3/,
    ],
    [
      'labels out of order',
      { source: 's', classes: [CONCEPTS.classes[1], CONCEPTS.classes[0], CONCEPTS.classes[2]] },
      /class 0 is "bathtub/,
    ],
    [
      'a malformed pair',
      {
        source: 's',
        classes: [{ ...CONCEPTS.classes[0], concepts: [['shoe', -1]] }, ...CONCEPTS.classes.slice(1)],
      },
      /classes\.0\.concepts\.0\.1: .*\[lemma, distance\]/,
    ],
    ['no classes at all', { source: 'x' }, /classes: .*expected \{"source", "classes"/],
  ])('refuses %s and says how to rebuild it', (_, file, message) => {
    expect(() => parseLabelConcepts(file, LABELS, 'f.json')).toThrow(LabelConceptsError);
    expect(() => parseLabelConcepts(file, LABELS, 'f.json')).toThrow(message);
    expect(() => parseLabelConcepts(file, LABELS, 'f.json')).toThrow(/build-label-concepts\.mjs/);
  });
});

describe('lemmaForms', () => {
  it.each([
    ['shoes', 'shoe'],
    ['dresses', 'dress'],
    ['accessories', 'accessory'],
    ['t-shirt', 't shirt'],
  ])('%s may be the WordNet lemma %s', (word, lemma) => {
    expect(lemmaForms(word)).toContain(lemma);
  });

  it('keeps a word ending in ss whole ("dress" is no plural)', () => {
    expect(lemmaForms('dress')).not.toContain('dres');
  });
});

describe('ConceptSpace', () => {
  it("places a class by its own lemmas and its parents', not by its first synonym alone", () => {
    const shoe = vectors.vector('shoe')!;
    expect(cosine(space.classVectors[0]!, shoe)).toBeGreaterThan(
      cosine(vectors.phrase(['running', 'shoe'])!, shoe),
    );
  });

  it('anchors a term among the classes WordNet puts under it, nearer ones weighing more', () => {
    const footwear = space.anchor('footwear')!;
    expect(cosine(footwear, space.classVectors[0]!)).toBeCloseTo(1, 5);
    expect(cosine(space.anchor('bathroom')!, space.classVectors[1]!)).toBeCloseTo(1, 5);
  });

  it('matches plural catalog words and synonyms to singular lemmas', () => {
    expect(space.anchor('shoes')).not.toBeNull();
    expect(space.anchor('trainers', ['shoes'])).not.toBeNull();
  });

  it('gives no place to a word no class relates to', () => {
    expect(space.anchor('red')).toBeNull();
  });
});

describe('a vocabulary anchored in a concept space', () => {
  it('moves related terms and leaves the others at their word vectors', () => {
    const plain = Vocabulary.build(PRODUCTS, vectors);
    const anchored = plain.anchoredIn(space);
    expect(cosine(anchored.term('footwear')!.vector, space.classVectors[0]!)).toBeCloseTo(1, 5);
    expect(Array.from(anchored.term('red')!.vector)).toEqual(Array.from(plain.term('red')!.vector));
    expect(anchored.anchors).toBe(space);
  });

  it("stays anchored through a tenant's changes", () => {
    const tenants = new TenantVocabularies(vectors, 'products', space);
    const tenant = tenants.resolve({ base: 'products', words: ['bathroom'], synonyms: {}, stopWords: [] });
    expect(cosine(tenant.term('bathroom')!.vector, space.classVectors[1]!)).toBeCloseTo(1, 5);
  });

  it('places a query word outside the vocabulary through the same anchors', () => {
    const vocabulary = Vocabulary.build({ name: 'v', terms: ['red'] }, vectors).anchoredIn(space);
    const query = new TextQueryEncoder(vectors, vocabulary).encode('tabby');
    expect(query.used).toEqual(['tabby']);
    expect(cosine(query.vector!, space.classVectors[2]!)).toBeCloseTo(1, 5);
  });
});
