import { dot } from '../word-vectors/word-vectors';

/**
 * The evaluation metrics of `catalens eval`, over images with one label each. Pure functions:
 * the CLI embeds the images, these score them.
 */
export interface EvaluatedImage {
  label: string;
  /** Unit visual vector (similar items). */
  visual: Float32Array;
  /** Unit semantic vector (tags, text search). */
  semantic: Float32Array;
  /** Tags, best first. */
  tags: readonly string[];
}

export interface EvaluationScores {
  /** Share of images whose first tag is one of the label's words. */
  tagP1: number;
  /** Share of images with one of the label's words among the first five tags. */
  tagP5: number;
  /** Text → image: for each label, the query is the label's words; share of that label's images in the top 10, averaged over labels. */
  textR10: number;
  /** Similar items: share of the 10 nearest other images (visual vectors) with the same label, averaged over images. */
  simP10: number;
  n: number;
}

export interface LabelScores {
  label: string;
  n: number;
  tagP1: number;
  tagP5: number;
  textR10: number;
  simP10: number;
}

const similarity = (a: Float32Array, b: Float32Array): number => dot(a, b, 0, a.length);

/** Indices of the `k` highest scores, best first. */
function topK(scores: readonly number[], k: number, skip = -1): number[] {
  return scores
    .map((s, i) => [s, i] as const)
    .filter(([, i]) => i !== skip)
    .sort((a, b) => b[0] - a[0])
    .slice(0, k)
    .map(([, i]) => i);
}

export function evaluateRetrieval(
  images: readonly EvaluatedImage[],
  /** label → its words (the tag terms that count as a hit). */
  labelWords: ReadonlyMap<string, readonly string[]>,
  /** label → query vector for text search (the label's words, encoded). */
  labelQueries: ReadonlyMap<string, Float32Array | null>,
): { overall: EvaluationScores; perLabel: LabelScores[]; confusion: TagConfusion } {
  const labels = [...new Set(images.map((i) => i.label))].sort();
  const hitAt = (image: EvaluatedImage, k: number): boolean => {
    const words = new Set(labelWords.get(image.label) ?? [image.label]);
    return image.tags.slice(0, k).some((t) => words.has(t));
  };
  const sim = images.map((image, i) => {
    const nearest = topK(
      images.map((other) => similarity(image.visual, other.visual)),
      10,
      i,
    );
    return nearest.filter((j) => images[j]!.label === image.label).length / Math.max(1, nearest.length);
  });
  const text = new Map<string, number>();
  for (const label of labels) {
    const query = labelQueries.get(label);
    const relevant = images.filter((i) => i.label === label).length;
    if (!query) {
      text.set(label, 0);
      continue;
    }
    const top = topK(
      images.map((i) => similarity(query, i.semantic)),
      10,
    );
    text.set(label, top.filter((j) => images[j]!.label === label).length / Math.min(10, relevant));
  }
  const mean = (xs: readonly number[]): number => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);
  const perLabel = labels.map((label) => {
    const idx = images.map((img, i) => (img.label === label ? i : -1)).filter((i) => i >= 0);
    return {
      label,
      n: idx.length,
      tagP1: mean(idx.map((i) => Number(hitAt(images[i]!, 1)))),
      tagP5: mean(idx.map((i) => Number(hitAt(images[i]!, 5)))),
      textR10: text.get(label)!,
      simP10: mean(idx.map((i) => sim[i]!)),
    };
  });
  return {
    overall: {
      tagP1: mean(images.map((i) => Number(hitAt(i, 1)))),
      tagP5: mean(images.map((i) => Number(hitAt(i, 5)))),
      textR10: mean(labels.map((l) => text.get(l)!)),
      simP10: mean(sim),
      n: images.length,
    },
    perLabel,
    confusion: confusionOfFirstTags(images, labels, labelWords),
  };
}

/** What a label's images were called: label → (the label whose words the first tag is, or `other`) → count. */
export type TagConfusion = Record<string, Record<string, number>>;

/**
 * The confusion behind tagP1: for each true label, how many of its images got a first tag among
 * each label's words (a word two labels share counts for the image's own label first), or none.
 */
function confusionOfFirstTags(
  images: readonly EvaluatedImage[],
  labels: readonly string[],
  labelWords: ReadonlyMap<string, readonly string[]>,
): TagConfusion {
  const out: TagConfusion = Object.fromEntries(labels.map((l) => [l, {}]));
  for (const image of images) {
    const first = image.tags[0];
    const own = labelWords.get(image.label) ?? [image.label];
    const named =
      first === undefined
        ? 'other'
        : own.includes(first)
          ? image.label
          : (labels.find((l) => (labelWords.get(l) ?? [l]).includes(first)) ?? 'other');
    const row = out[image.label]!;
    row[named] = (row[named] ?? 0) + 1;
  }
  return out;
}
