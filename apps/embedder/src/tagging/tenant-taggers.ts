import { VocabularyRepository } from '@catalens/db';
import { SHIPPED_VOCABULARIES, Tagger, Vocabulary, VocabularyError } from '@catalens/semantics';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { EMBEDDER_CONFIG, type EmbedderConfig } from '../config';
import { EmbeddingRuntime } from '../model/embedding-runtime';

/** The vocabulary a tenant's images are tagged with, when the tenant has customized one. */
export const TAGGING_VOCABULARY = 'default';

interface Cached {
  tagger: Tagger;
  loadedAt: number;
}

/**
 * One Tagger per tenant: the tenant's `default` vocabulary (its shipped base plus its own
 * words, synonyms and stop-words) or, without one, the shipped list named by
 * EMBEDDER_VOCABULARY. Cached for EMBEDDER_VOCABULARY_TTL_MS, so curation shows up on the
 * next records without a restart.
 */
@Injectable()
export class TenantTaggers {
  private readonly logger = new Logger(TenantTaggers.name);
  private readonly cache = new Map<string, Cached>();
  private shipped: Map<string, Vocabulary> | undefined;

  constructor(
    @Inject(EMBEDDER_CONFIG) private readonly config: EmbedderConfig,
    private readonly vocabularies: VocabularyRepository,
    private readonly runtime: EmbeddingRuntime,
  ) {}

  async forTenant(tenantId: string): Promise<Tagger> {
    const cached = this.cache.get(tenantId);
    if (cached && Date.now() - cached.loadedAt < this.config.EMBEDDER_VOCABULARY_TTL_MS) return cached.tagger;
    const tagger = new Tagger(await this.vocabularyOf(tenantId), {
      k: this.config.EMBEDDER_TAGS_PER_ITEM,
      threshold: this.config.EMBEDDER_TAG_THRESHOLD,
    });
    this.cache.set(tenantId, { tagger, loadedAt: Date.now() });
    return tagger;
  }

  private shippedVocabulary(name: string): Vocabulary {
    this.shipped ??= new Map(
      SHIPPED_VOCABULARIES.map((spec) => [spec.name, Vocabulary.build(spec, this.runtime.wordVectors)]),
    );
    const vocabulary = this.shipped.get(name);
    if (!vocabulary) throw new Error(`no shipped vocabulary "${name}"`);
    return vocabulary;
  }

  private async vocabularyOf(tenantId: string): Promise<Vocabulary> {
    const fallback = this.shippedVocabulary(this.config.EMBEDDER_VOCABULARY);
    const record = await this.vocabularies.find(tenantId, TAGGING_VOCABULARY);
    if (!record) return fallback;
    const base =
      record.base && SHIPPED_VOCABULARIES.some((v) => v.name === record.base)
        ? this.shippedVocabulary(record.base)
        : fallback;
    try {
      return base.withOverrides(
        { add: record.words, synonyms: record.synonyms, stopWords: record.stopWords },
        this.runtime.wordVectors,
      );
    } catch (error) {
      // The API refuses unknown words on write; this guards rows written around it.
      if (!(error instanceof VocabularyError)) throw error;
      this.logger.warn(
        `tenant ${tenantId}: ${error.message}; tagging with the shipped list until it is fixed`,
      );
      return base;
    }
  }
}
