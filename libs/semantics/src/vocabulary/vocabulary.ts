import type { TermAnchors } from '../projection/label-concepts';
import { normalize, type WordVectors } from '../word-vectors/word-vectors';

export interface VocabularySpec {
  name: string;
  /** Tag terms: one GloVe word, or several separated by spaces (a phrase vector). */
  terms: readonly string[];
  /** term → other words that mean it (query side: "couch" finds "sofa" tags). */
  synonyms?: Readonly<Record<string, readonly string[]>>;
  /** Words that are never tags and are dropped from text queries. */
  stopWords?: readonly string[];
}

/** A tenant's changes to a shipped vocabulary (merchandiser additions, removals, synonyms). */
export interface VocabularyOverrides {
  add?: readonly string[];
  remove?: readonly string[];
  synonyms?: Readonly<Record<string, readonly string[]>>;
  stopWords?: readonly string[];
}

export interface VocabularyTerm {
  term: string;
  words: readonly string[];
  /** Unit vector of the term (a phrase's words averaged). */
  vector: Float32Array;
}

export class VocabularyError extends Error {
  constructor(
    readonly vocabulary: string,
    readonly unknownWords: readonly string[],
    source: string,
  ) {
    super(
      `vocabulary "${vocabulary}": ${unknownWords.map((w) => `"${w}"`).join(', ')} ${unknownWords.length === 1 ? 'is' : 'are'} not in the word vectors (${source}); ` +
        'use words the vectors know, or point GLOVE_PATH at a larger GloVe file',
    );
    this.name = 'VocabularyError';
  }
}

/** Lower-cased, NFKC-normalized, single-spaced form of a term or word. */
export const canonicalTerm = (text: string): string =>
  text.normalize('NFKC').toLowerCase().trim().replace(/\s+/g, ' ');

/** A controlled vocabulary bound to word vectors: the only words tags can be. */
export class Vocabulary {
  /** `terms.length × dim` unit rows, in `terms` order. */
  readonly matrix: Float32Array;
  private readonly byTerm: Map<string, VocabularyTerm>;
  private readonly synonymToTerm: Map<string, string>;
  readonly stopWords: ReadonlySet<string>;

  private constructor(
    readonly name: string,
    readonly terms: readonly VocabularyTerm[],
    synonyms: Map<string, string>,
    stopWords: Set<string>,
    readonly dim: number,
    private readonly spec: VocabularySpec,
    /** The semantic space the term vectors were anchored in (see anchoredIn), if any. */
    readonly anchors?: TermAnchors,
  ) {
    this.matrix = new Float32Array(terms.length * dim);
    terms.forEach((t, i) => this.matrix.set(t.vector, i * dim));
    this.byTerm = new Map(terms.map((t) => [t.term, t]));
    this.synonymToTerm = synonyms;
    this.stopWords = stopWords;
  }

  /** Binds a spec to word vectors; every word must be known (all unknown ones are listed at once). */
  static build(spec: VocabularySpec, vectors: WordVectors): Vocabulary {
    const stopWords = new Set((spec.stopWords ?? []).map(canonicalTerm));
    const unique = [...new Set(spec.terms.map(canonicalTerm))].filter((t) => t && !stopWords.has(t));
    const unknown = new Set<string>();
    const terms: VocabularyTerm[] = [];
    for (const term of unique) {
      const words = term.split(' ');
      const vector = vectors.phrase(words);
      if (vector) terms.push({ term, words, vector: normalize(Float32Array.from(vector)) });
      else words.filter((w) => !vectors.has(w)).forEach((w) => unknown.add(w));
    }
    if (unknown.size > 0) throw new VocabularyError(spec.name, [...unknown], vectors.source);
    const synonyms = new Map<string, string>();
    for (const [term, alternatives] of Object.entries(spec.synonyms ?? {})) {
      const canonical = canonicalTerm(term);
      if (!terms.some((t) => t.term === canonical)) continue; // a synonym of a removed term
      for (const alt of alternatives) synonyms.set(canonicalTerm(alt), canonical);
    }
    return new Vocabulary(spec.name, terms, synonyms, stopWords, vectors.dim, spec);
  }

  /**
   * This vocabulary with each term's vector taken from a semantic head's space where the head
   * places it (label-concepts.ts: ConSE's WordNet space), and its word vector elsewhere. Tags and
   * text queries of that head's images use the anchored vectors.
   */
  anchoredIn(anchors: TermAnchors): Vocabulary {
    const synonymsOf = new Map<string, string[]>();
    for (const [word, term] of this.synonymToTerm)
      synonymsOf.set(term, [...(synonymsOf.get(term) ?? []), word]);
    const terms = this.terms.map((t) => {
      const anchored = anchors.anchor(t.term, synonymsOf.get(t.term));
      return anchored ? { ...t, vector: anchored } : t;
    });
    return new Vocabulary(
      this.name,
      terms,
      this.synonymToTerm,
      new Set(this.stopWords),
      this.dim,
      this.spec,
      anchors,
    );
  }

  /** This vocabulary with a tenant's additions, removals, synonyms and stop-words applied. */
  withOverrides(overrides: VocabularyOverrides, vectors: WordVectors): Vocabulary {
    const changed = this.withOverridesUnanchored(overrides, vectors);
    return this.anchors ? changed.anchoredIn(this.anchors) : changed;
  }

  private withOverridesUnanchored(overrides: VocabularyOverrides, vectors: WordVectors): Vocabulary {
    const remove = new Set((overrides.remove ?? []).map(canonicalTerm));
    return Vocabulary.build(
      {
        name: this.name,
        terms: [...this.spec.terms, ...(overrides.add ?? [])].filter((t) => !remove.has(canonicalTerm(t))),
        synonyms: mergeSynonyms(this.spec.synonyms ?? {}, overrides.synonyms ?? {}),
        stopWords: [...(this.spec.stopWords ?? []), ...(overrides.stopWords ?? [])],
      },
      vectors,
    );
  }

  has(term: string): boolean {
    return this.byTerm.has(canonicalTerm(term));
  }

  term(term: string): VocabularyTerm | undefined {
    return this.byTerm.get(canonicalTerm(term));
  }

  /** The term a word stands for: itself if it is a term, its synonym's term, or undefined. */
  resolve(word: string): string | undefined {
    const w = canonicalTerm(word);
    return this.byTerm.has(w) ? w : this.synonymToTerm.get(w);
  }

  /** term → the other words that find it, terms and words sorted. */
  synonymGroups(): Record<string, string[]> {
    const groups: Record<string, string[]> = {};
    for (const [word, term] of [...this.synonymToTerm].sort(([a], [b]) => (a < b ? -1 : 1)))
      (groups[term] ??= []).push(word);
    return Object.fromEntries(Object.entries(groups).sort(([a], [b]) => (a < b ? -1 : 1)));
  }

  /** Multi-word terms and synonyms, longest first (for phrase matching in queries). */
  phrases(): string[] {
    return [...this.byTerm.keys(), ...this.synonymToTerm.keys()]
      .filter((t) => t.includes(' '))
      .sort((a, b) => b.split(' ').length - a.split(' ').length);
  }
}

function mergeSynonyms(
  a: Readonly<Record<string, readonly string[]>>,
  b: Readonly<Record<string, readonly string[]>>,
): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const source of [a, b]) {
    for (const [term, alts] of Object.entries(source)) out[term] = [...(out[term] ?? []), ...alts];
  }
  return out;
}
