import { z } from 'zod';
import { tokenize } from '../text/text-query-encoder';
import { canonicalTerm } from '../vocabulary/vocabulary';
import { normalize, type WordVectors } from '../word-vectors/word-vectors';

/**
 * A classifier's labels placed in WordNet (scripts/semantics/build-label-concepts.mjs): per class,
 * the lemmas of its synset (distance 0) and of the synsets above it — hypernyms ("running shoe"
 * → "shoe" 1 → "footwear" 2) and part holonyms ("bathtub" → "bathroom" 1) — with their distance.
 */
export interface LabelConcepts {
  source: string;
  classes: readonly { label: string; synset: string; concepts: readonly (readonly [string, number])[] }[];
}

export class LabelConceptsError extends Error {
  constructor(source: string, detail: string) {
    super(
      `label concepts ${source}: ${detail}; rebuild them with scripts/semantics/build-label-concepts.mjs`,
    );
    this.name = 'LabelConceptsError';
  }
}

const labelConceptsSchema = z.object({
  source: z.string(),
  classes: z.array(
    z.object({
      label: z.string(),
      synset: z.string(),
      concepts: z.array(z.tuple([z.string(), z.number().int().min(0)]), {
        error: 'concepts must be [lemma, distance] pairs',
      }),
    }),
  ),
});

/** Checks a parsed label-concepts file against the classifier's labels it must describe, in order. */
export function parseLabelConcepts(json: unknown, labels: readonly string[], source: string): LabelConcepts {
  const parsed = labelConceptsSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const at = issue.path.length ? `${issue.path.join('.')}: ` : '';
    throw new LabelConceptsError(
      source,
      `${at}${issue.message} (expected {"source", "classes": [{"label", "synset", "concepts": [[lemma, distance], …]}, …]})`,
    );
  }
  const file = parsed.data;
  if (file.classes.length !== labels.length)
    throw new LabelConceptsError(
      source,
      `${file.classes.length} classes for a classifier of ${labels.length}`,
    );
  file.classes.forEach((c, i) => {
    if (c.label !== labels[i])
      throw new LabelConceptsError(source, `class ${i} is "${c.label}", the classifier's "${labels[i]}"`);
  });
  return file;
}

/** Places a term (or a query word) in a semantic head's space; null when it has no place there. */
export interface TermAnchors {
  readonly id: string;
  anchor(term: string, synonyms?: readonly string[]): Float32Array | null;
}

export interface ConceptSpaceOptions {
  /**
   * Class vectors: a class's own lemmas at weight 1 and its parents' (distance 1) at this weight,
   * each distance's lemmas averaged. Deeper ancestors ("garment", "artifact") blur every class
   * together. Default 0.7 (chosen on the training split, docs/evaluation).
   */
  parentWeight?: number;
  /** Term anchors: a class at distance d from a term counts γ^d. Default 0.3. */
  distanceDecay?: number;
}

/**
 * ConSE's label space built from WordNet instead of each class's first synonym, and the terms of a
 * catalog anchored in the same space (issue 23). An image is ConSE's mix of its top classes'
 * vectors; a term that WordNet relates to classes — as one of their own lemmas, an ancestor's, or
 * the room they are part of — is the mix of those classes' vectors, weighted γ^distance. Tags and
 * text queries then meet images where the classifier put them: "footwear" lands on every shoe
 * class, "bathroom" on bathtub, shower and washbasin. A term WordNet does not relate to any class
 * ("red", "vintage") keeps its word vector.
 */
export class ConceptSpace implements TermAnchors {
  readonly id = 'wn';
  /** One unit vector per class (null where no lemma has a word vector), in label order. */
  readonly classVectors: (Float32Array | null)[];
  private readonly classesOf = new Map<string, { cls: number; distance: number }[]>();
  private readonly decay: number;

  constructor(
    concepts: LabelConcepts,
    private readonly vectors: WordVectors,
    options: ConceptSpaceOptions = {},
  ) {
    const parentWeight = options.parentWeight ?? 0.7;
    this.decay = options.distanceDecay ?? 0.3;
    this.classVectors = concepts.classes.map((c, cls) => {
      for (const [lemma, distance] of c.concepts) {
        const list = this.classesOf.get(lemma) ?? [];
        list.push({ cls, distance });
        this.classesOf.set(lemma, list);
      }
      const own = this.mean(c.concepts.filter(([, d]) => d === 0).map(([l]) => l));
      const parents = this.mean(c.concepts.filter(([, d]) => d === 1).map(([l]) => l));
      if (!own && !parents) return null;
      const out = new Float32Array(vectors.dim);
      for (let i = 0; i < out.length; i++) out[i] = (own?.[i] ?? 0) + parentWeight * (parents?.[i] ?? 0);
      return normalize(out);
    });
  }

  anchor(term: string, synonyms: readonly string[] = []): Float32Array | null {
    const weights = new Map<number, number>();
    for (const word of [term, ...synonyms]) {
      for (const form of lemmaForms(canonicalTerm(word))) {
        for (const { cls, distance } of this.classesOf.get(form) ?? []) {
          if (!this.classVectors[cls]) continue;
          weights.set(cls, Math.max(weights.get(cls) ?? 0, this.decay ** distance));
        }
      }
    }
    if (weights.size === 0) return null;
    const out = new Float32Array(this.vectors.dim);
    for (const [cls, w] of weights) {
      const v = this.classVectors[cls]!;
      for (let i = 0; i < out.length; i++) out[i]! += w * v[i]!;
    }
    return normalize(out);
  }

  /** Mean of the lemmas' phrase vectors ("t-shirt" split when the vectors lack it); null if none. */
  private mean(lemmas: readonly string[]): Float32Array | null {
    const found = lemmas
      .map((l) => phraseVector(l, this.vectors))
      .filter((v): v is Float32Array => v !== null);
    if (found.length === 0) return null;
    const out = new Float32Array(this.vectors.dim);
    for (const v of found) for (let i = 0; i < out.length; i++) out[i]! += v[i]! / found.length;
    return out;
  }
}

function phraseVector(text: string, vectors: WordVectors): Float32Array | null {
  const words = tokenize(text);
  if (words.length === 0) return null;
  const whole = vectors.phrase(words);
  if (whole) return normalize(Float32Array.from(whole));
  const parts = words.flatMap((w) => w.split('-')).filter(Boolean);
  const split = parts.length > words.length ? vectors.phrase(parts) : undefined;
  return split ? normalize(Float32Array.from(split)) : null;
}

/**
 * The WordNet lemmas a catalog word may be: itself, its hyphens as spaces, and its singular by
 * English rules ("shoes" → "shoe", "dresses" → "dress", "accessories" → "accessory"). WordNet lists
 * lemmas in the singular; a wrong guess ("dres") matches nothing, so trying all is safe.
 */
export function lemmaForms(word: string): string[] {
  const forms = new Set([word, word.replace(/-/g, ' ')]);
  for (const w of [...forms]) {
    if (w.endsWith('ies')) forms.add(`${w.slice(0, -3)}y`);
    if (w.endsWith('es')) forms.add(w.slice(0, -2));
    if (w.endsWith('s') && !w.endsWith('ss')) forms.add(w.slice(0, -1));
  }
  return [...forms];
}
