import type { TermAnchors } from '../projection/label-concepts';
import type { WordVectors } from '../word-vectors/word-vectors';
import { SHIPPED_VOCABULARIES } from './shipped-vocabularies';
import { Vocabulary, VocabularyError } from './vocabulary';

/** The stored vocabulary (by name) that customizes a tenant's tags and text queries. */
export const TENANT_VOCABULARY = 'default';

/** A tenant's stored vocabulary row: a shipped base plus its own words, synonyms, stop-words. */
export interface TenantVocabularySpec {
  base: string | null;
  words: readonly string[];
  synonyms: Readonly<Record<string, readonly string[]>>;
  stopWords: readonly string[];
}

/**
 * Builds shipped vocabularies once per word-vector set and applies a tenant's changes on top.
 * Tagging (embedder) and text queries (GraphQL) resolve a tenant's vocabulary the same way.
 */
export class TenantVocabularies {
  private readonly shipped = new Map<string, Vocabulary>();

  constructor(
    private readonly vectors: WordVectors,
    /** Shipped vocabulary for tenants without their own (and for an unknown `base`). */
    private readonly fallback: string,
    /** The serving semantic head's term space (ConSE's WordNet space); word vectors without it. */
    private readonly anchors?: TermAnchors,
  ) {}

  shippedVocabulary(name: string): Vocabulary {
    let vocabulary = this.shipped.get(name);
    if (!vocabulary) {
      const spec = SHIPPED_VOCABULARIES.find((v) => v.name === name);
      if (!spec)
        throw new Error(
          `no shipped vocabulary "${name}"; shipped: ${SHIPPED_VOCABULARIES.map((v) => v.name).join(', ')}`,
        );
      vocabulary = Vocabulary.build(spec, this.vectors);
      if (this.anchors) vocabulary = vocabulary.anchoredIn(this.anchors);
      this.shipped.set(name, vocabulary);
    }
    return vocabulary;
  }

  /**
   * The tenant's vocabulary; `onInvalid` hears about a stored row whose words the vectors do not
   * know (the API refuses those on write; this guards rows written around it), and the base is used.
   */
  resolve(spec: TenantVocabularySpec | undefined, onInvalid?: (error: VocabularyError) => void): Vocabulary {
    const fallback = this.shippedVocabulary(this.fallback);
    if (!spec) return fallback;
    const base =
      spec.base && SHIPPED_VOCABULARIES.some((v) => v.name === spec.base)
        ? this.shippedVocabulary(spec.base)
        : fallback;
    try {
      return base.withOverrides(
        { add: spec.words, synonyms: spec.synonyms, stopWords: spec.stopWords },
        this.vectors,
      );
    } catch (error) {
      if (!(error instanceof VocabularyError)) throw error;
      onInvalid?.(error);
      return base;
    }
  }
}
