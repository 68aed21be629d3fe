import { feedbackExamples, isHeldOut } from './feedback-examples';

const known = (w: string) => !['zorvex'].includes(w);

describe('feedbackExamples', () => {
  it('takes the category and accepted words as positives, rejected ones as negatives, and drops unknown words', () => {
    const { examples, unknownWords } = feedbackExamples(
      [
        {
          itemId: 'a',
          externalId: 'a',
          category: 'dress',
          accepted: ['summer', 'zorvex'],
          rejected: ['shoe', 'dress'],
        },
        { itemId: 'b', externalId: 'b', category: null, accepted: [], rejected: ['hat'] },
        { itemId: 'c', externalId: 'c', category: null, accepted: ['pants'], rejected: [] },
      ],
      known,
      0,
    );
    expect(unknownWords).toEqual(['zorvex']);
    // b has no positive word: nothing to learn from it.
    expect(examples).toEqual([
      { itemId: 'a', positives: ['dress', 'summer'], negatives: ['shoe'], label: 'dress', heldOut: false },
      { itemId: 'c', positives: ['pants'], negatives: [], label: 'pants', heldOut: false },
    ]);
  });

  it('holds out a stable share of items by their id', () => {
    const ids = Array.from({ length: 2000 }, (_, i) => `item-${i}`);
    const held = ids.filter((id) => isHeldOut(id, 0.25));
    expect(held.length / ids.length).toBeGreaterThan(0.22);
    expect(held.length / ids.length).toBeLessThan(0.28);
    expect(ids.filter((id) => isHeldOut(id, 0.25))).toEqual(held);
    expect(ids.filter((id) => isHeldOut(id, 0))).toEqual([]);
    expect(ids.filter((id) => isHeldOut(id, 1))).toHaveLength(2000);
  });
});
