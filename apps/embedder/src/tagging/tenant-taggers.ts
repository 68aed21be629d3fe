import { VocabularyRepository } from '@catalens/db';
import { TENANT_VOCABULARY, Tagger, TenantVocabularies } from '@catalens/semantics';
import { type TenantHead, withHeadWords } from '@catalens/learning';
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
  private plainVocabularies: TenantVocabularies | undefined;

  constructor(
    @Inject(EMBEDDER_CONFIG) private readonly config: EmbedderConfig,
    private readonly repository: VocabularyRepository,
    private readonly runtime: EmbeddingRuntime,
  ) {}

  /**
   * `head`: the tenant's own semantic head serves it, whose vectors live at the word vectors, so
   * its terms are not anchored in the deployment head's space, and the words it learnt are terms.
   */
  async forTenant(tenantId: string, { head = null }: { head?: TenantHead | null } = {}): Promise<Tagger> {
    const key = `${head ? head.id : 'deployment'}/${tenantId}`;
    const cached = this.cache.get(key);
    if (cached && Date.now() - cached.loadedAt < this.config.EMBEDDER_VOCABULARY_TTL_MS) return cached.tagger;
    this.vocabularies ??= new TenantVocabularies(
      this.runtime.wordVectors,
      this.config.EMBEDDER_VOCABULARY,
      this.runtime.semanticHead.anchors,
    );
    this.plainVocabularies ??= new TenantVocabularies(
      this.runtime.wordVectors,
      this.config.EMBEDDER_VOCABULARY,
    );
    const resolved = (head ? this.plainVocabularies : this.vocabularies).resolve(
      await this.repository.find(tenantId, TENANT_VOCABULARY),
      (error) =>
        this.logger.warn(
          `tenant ${tenantId}: ${error.message}; tagging with the shipped list until it is fixed`,
        ),
    );
    const vocabulary = head ? withHeadWords(resolved, head, this.runtime.wordVectors) : resolved;
    const tagger = new Tagger(vocabulary, {
      k: this.config.EMBEDDER_TAGS_PER_ITEM,
      threshold: this.config.EMBEDDER_TAG_THRESHOLD,
    });
    this.cache.set(key, { tagger, loadedAt: Date.now() });
    return tagger;
  }
}
