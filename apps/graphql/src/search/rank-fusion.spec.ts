import fc from 'fast-check';
import { reciprocalRankFusion } from './rank-fusion';

const list = (...ids: string[]) => ids.map((id) => ({ id }));

describe('reciprocalRankFusion', () => {
  it('scores each id by 1/(k + rank) summed over the lists', () => {
    const fused = reciprocalRankFusion([list('a', 'b'), list('b', 'c')], 60);
    expect(fused.map((f) => f.id)).toEqual(['b', 'a', 'c']);
    expect(fused[0]!.score).toBeCloseTo(1 / 62 + 1 / 61, 12);
    expect(fused[0]!.ranks).toEqual([2, 1]);
    expect(fused[2]!.ranks).toEqual([undefined, 2]);
  });

  it('puts an id found by one list only below ids both lists found at the same ranks', () => {
    const fused = reciprocalRankFusion([list('shared', 'keywordOnly'), list('shared')]);
    expect(fused.map((f) => f.id)).toEqual(['shared', 'keywordOnly']);
  });

  it('breaks ties by the rank in the first list, then the next', () => {
    // "x" is first of list 0, "y" first of list 1: equal scores, list 0 decides.
    expect(reciprocalRankFusion([list('x'), list('y')]).map((f) => f.id)).toEqual(['x', 'y']);
    expect(reciprocalRankFusion([list('y'), list('x')]).map((f) => f.id)).toEqual(['y', 'x']);
  });

  it('counts a repeated id once per list', () => {
    const [only] = reciprocalRankFusion([list('a', 'a')]);
    expect(only!.score).toBeCloseTo(1 / 61, 12);
  });

  it('returns every id once, scores non-increasing, and keeps a single list in its order', () => {
    const ids = fc.uniqueArray(fc.constantFrom(...'abcdefghij'.split('')), { maxLength: 10 });
    fc.assert(
      fc.property(ids, ids, (a, b) => {
        const fused = reciprocalRankFusion([list(...a), list(...b)]);
        expect(new Set(fused.map((f) => f.id))).toEqual(new Set([...a, ...b]));
        for (let i = 1; i < fused.length; i++)
          expect(fused[i - 1]!.score).toBeGreaterThanOrEqual(fused[i]!.score);
        expect(reciprocalRankFusion([list(...a)]).map((f) => f.id)).toEqual(a);
      }),
    );
  });
});
