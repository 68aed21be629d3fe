import { VocabularyRepository } from '@catalens/db';
import { TENANT_VOCABULARY, Tagger, TenantVocabularies } from '@catalens/semantics';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { EMBEDDER_CONFIG, type EmbedderConfig } from '../config';
import { EmbeddingRuntime } from '../model/embedding-runtime';

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
  private vocabularies: TenantVocabularies | undefined;

  constructor(
    @Inject(EMBEDDER_CONFIG) private readonly config: EmbedderConfig,
    private readonly repository: VocabularyRepository,
    private readonly runtime: EmbeddingRuntime,
  ) {}

  async forTenant(tenantId: string): Promise<Tagger> {
    const cached = this.cache.get(tenantId);
    if (cached && Date.now() - cached.loadedAt < this.config.EMBEDDER_VOCABULARY_TTL_MS) return cached.tagger;
    this.vocabularies ??= new TenantVocabularies(
      this.runtime.wordVectors,
      this.config.EMBEDDER_VOCABULARY,
      this.runtime.semanticHead.anchors,
    );
    const vocabulary = this.vocabularies.resolve(
      await this.repository.find(tenantId, TENANT_VOCABULARY),
      (error) =>
        this.logger.warn(
          `tenant ${tenantId}: ${error.message}; tagging with the shipped list until it is fixed`,
        ),
    );
    const tagger = new Tagger(vocabulary, {
      k: this.config.EMBEDDER_TAGS_PER_ITEM,
      threshold: this.config.EMBEDDER_TAG_THRESHOLD,
    });
    this.cache.set(tenantId, { tagger, loadedAt: Date.now() });
    return tagger;
  }
}
