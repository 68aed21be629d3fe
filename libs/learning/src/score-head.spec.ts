import { Vocabulary, loadWordVectors, normalize, type WordVectors } from '@catalens/semantics';
import type { FeedbackExample } from './feedback-examples';
import { scoreHead } from './tenant-head-trainer';

let vectors: WordVectors;
let vocabulary: Vocabulary;
beforeAll(async () => {
  vectors = (await loadWordVectors()).vectors;
  vocabulary = Vocabulary.build(
    { name: 't', terms: ['dress', 'hat', 'shoe', 'pants', 'lamp', 'sofa'] },
    vectors,
  );
});

const example = (itemId: string, label: string): FeedbackExample => ({
  itemId,
  positives: [label],
  negatives: [],
  label,
  heldOut: true,
});
const at = (word: string) => normalize(Float32Array.from(vectors.vector(word)!));

describe('scoreHead', () => {
  const examples = [example('1', 'dress'), example('2', 'dress'), example('3', 'hat'), example('4', 'shoe')];

  it('scores a head that places every item at its word perfectly', () => {
    expect(scoreHead('h', examples, (e) => at(e.label), vocabulary, vectors)).toEqual({
      head: 'h',
      tagP1: 1,
      tagP5: 1,
      textR10: 1,
      n: 4,
    });
  });

  it('scores a head that places every item at an unrelated word low', () => {
    const scores = scoreHead('h', examples, () => at('lamp'), vocabulary, vectors);
    expect(scores.tagP1).toBe(0);
    expect(scores.textR10).toBeLessThan(1);
  });

  it('scores nothing on an empty slice', () => {
    expect(scoreHead('h', [], () => at('lamp'), vocabulary, vectors)).toEqual({
      head: 'h',
      tagP1: 0,
      tagP5: 0,
      textR10: 0,
      n: 0,
    });
  });
});
