import { tokenize } from '../text/text-query-encoder';
import type { WordVectors } from '../word-vectors/word-vectors';

/**
 * Word vectors for classifier labels such as ImageNet's "jean, blue jean, denim" or "running
 * shoe": the first comma-separated synonym whose words are all known becomes a phrase vector.
 * Labels with no known synonym get null (ConSE skips them); `missing` lists them.
 */
export function labelVectors(
  labels: readonly string[],
  vectors: WordVectors,
): { vectors: (Float32Array | null)[]; missing: string[] } {
  const missing: string[] = [];
  const out = labels.map((label) => {
    for (const synonym of label.split(',')) {
      const words = tokenize(synonym);
      const v = words.length > 0 ? vectors.phrase(words) : undefined;
      if (v) return v;
      // "t-shirt" may be one token in the vectors or need splitting: try the parts too.
      const parts = words.flatMap((w) => w.split('-')).filter(Boolean);
      const split = parts.length > words.length ? vectors.phrase(parts) : undefined;
      if (split) return split;
    }
    missing.push(label);
    return null;
  });
  return { vectors: out, missing };
}
