/** One ranked list's entry: best first. */
export interface Ranked {
  id: string;
}

export interface Fused {
  id: string;
  /** Sum over the lists of 1 / (k + rank), rank starting at 1. */
  score: number;
  /** 1-based rank in each list, or undefined where the list did not have the id. */
  ranks: (number | undefined)[];
}

/**
 * Reciprocal rank fusion (Cormack, Clarke & Büttcher, SIGIR 2009): each list adds 1 / (k + rank)
 * for the ids it ranks. Scores of different scales (cosine, ts_rank) never mix, only positions do.
 * Ties go to the better rank in the first list, then the second…, so the order is deterministic.
 */
export function reciprocalRankFusion(lists: readonly (readonly Ranked[])[], k = 60): Fused[] {
  const byId = new Map<string, Fused>();
  lists.forEach((list, l) => {
    list.forEach((entry, index) => {
      let fused = byId.get(entry.id);
      if (!fused) {
        fused = { id: entry.id, score: 0, ranks: lists.map(() => undefined) };
        byId.set(entry.id, fused);
      }
      if (fused.ranks[l] !== undefined) return; // a list naming an id twice counts it once
      fused.ranks[l] = index + 1;
      fused.score += 1 / (k + index + 1);
    });
  });
  // Ties: the better rank in list 0 wins, then in list 1, …; an absent rank is the worst.
  const byRanks = (a: Fused, b: Fused) => {
    for (let l = 0; l < lists.length; l++) {
      const x = a.ranks[l] ?? Infinity;
      const y = b.ranks[l] ?? Infinity;
      if (x !== y) return x - y;
    }
    return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
  };
  return [...byId.values()].sort((a, b) => b.score - a.score || byRanks(a, b));
}
