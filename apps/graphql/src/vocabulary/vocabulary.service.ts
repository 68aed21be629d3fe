import { VocabularyRepository, type TenantVocabularyRecord } from '@catalens/db';
import {
  ConceptSpace,
  TENANT_VOCABULARY,
  TenantVocabularies,
  TextQueryEncoder,
  Vocabulary,
  canonicalTerm,
  loadWordVectors,
  type WordVectors,
} from '@catalens/semantics';
import { loadLabelConcepts, parseSemanticHead } from '@catalens/vision';
import { ActiveHeads, withHeadWords } from '@catalens/learning';
import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { GRAPHQL_CONFIG, type GraphqlConfig } from '../config';

/** How long a tenant's query encoder is reused before its vocabulary row is read again. */
const ENCODER_TTL_MS = 30_000;

export interface VocabularyChange {
  base: string | null;
  words: string[];
  synonyms: Record<string, string[]>;
  stopWords: string[];
}

/**
 * The word vectors (loaded once) and each tenant's vocabulary over them: what text queries are
 * encoded with and what the vocabulary API reads and writes.
 */
@Injectable()
export class VocabularyService implements OnModuleInit {
  private readonly logger = new Logger(VocabularyService.name);
  private vectors!: WordVectors;
  private vocabularies!: TenantVocabularies;
  /** Term vectors at the word vectors: for tenants whose own semantic head serves them. */
  private plainVocabularies!: TenantVocabularies;
  private readonly encoders = new Map<string, { encoder: TextQueryEncoder; at: number }>();

  constructor(
    @Inject(GRAPHQL_CONFIG) private readonly config: GraphqlConfig,
    private readonly rows: VocabularyRepository,
    private readonly heads: ActiveHeads,
  ) {}

  async onModuleInit(): Promise<void> {
    this.vectors = (await loadWordVectors(this.config.GLOVE_PATH)).vectors;
    // ConSE's vectors live among the model's classes: queries are placed there the same way the
    // embedders place tag terms (conseHead), or they would miss the images they name.
    const concepts =
      parseSemanticHead(this.config.SEMANTIC_HEAD).kind === 'conse'
        ? await loadLabelConcepts(this.config.MODEL_DIR)
        : null;
    this.vocabularies = new TenantVocabularies(
      this.vectors,
      this.config.SEARCH_VOCABULARY,
      concepts ? new ConceptSpace(concepts, this.vectors) : undefined,
    );
    this.plainVocabularies = new TenantVocabularies(this.vectors, this.config.SEARCH_VOCABULARY);
  }

  get wordVectors(): WordVectors {
    return this.vectors;
  }

  /** The shipped vocabulary `name`, or undefined when none is shipped under it. */
  shipped(name: string): Vocabulary | undefined {
    try {
      return this.vocabularies.shippedVocabulary(name);
    } catch {
      return undefined;
    }
  }

  /**
   * The tenant's vocabulary as tagging and queries use it, with the stored row it came from: in
   * the space of the head serving the tenant (its own, or the deployment's), unless `space` says.
   */
  async resolve(
    tenantId: string,
    space?: 'deployment' | 'plain',
  ): Promise<{ vocabulary: Vocabulary; record?: TenantVocabularyRecord }> {
    const record = await this.rows.find(tenantId, TENANT_VOCABULARY);
    const head = space ? null : await this.heads.forTenant(tenantId);
    const plain = space ? space === 'plain' : head !== null;
    const resolved = (plain ? this.plainVocabularies : this.vocabularies).resolve(record, (error) =>
      this.logger.warn(`tenant ${tenantId}: ${error.message}; the base vocabulary is used`),
    );
    // The words the tenant's head learnt are terms of its queries and tags as well.
    const vocabulary = head ? withHeadWords(resolved, head, this.vectors) : resolved;
    return { vocabulary, ...(record ? { record } : {}) };
  }

  /** Forgets the tenant's cached query encoder (its head changed). */
  forget(tenantId: string): void {
    this.encoders.delete(tenantId);
  }

  async encoderFor(tenantId: string): Promise<TextQueryEncoder> {
    const cached = this.encoders.get(tenantId);
    if (cached && Date.now() - cached.at < ENCODER_TTL_MS) return cached.encoder;
    const encoder = new TextQueryEncoder(this.vectors, (await this.resolve(tenantId)).vocabulary);
    this.encoders.set(tenantId, { encoder, at: Date.now() });
    return encoder;
  }

  /**
   * Replaces the tenant's vocabulary changes. Words the vectors do not know cannot be tags or
   * query terms: they are left out and returned, and the rest is saved.
   */
  async save(
    tenantId: string,
    change: VocabularyChange,
  ): Promise<{ record: TenantVocabularyRecord; unknownWords: string[] }> {
    const base = this.shipped(change.base ?? this.config.SEARCH_VOCABULARY)!;
    const unknown = new Set<string>();
    const known = (term: string) => {
      const missing = canonicalTerm(term)
        .split(' ')
        .filter((w) => !this.vectors.has(w));
      missing.forEach((w) => unknown.add(w));
      return missing.length === 0;
    };
    const words = [...new Set(change.words.map(canonicalTerm))].filter(known);
    const record = {
      name: TENANT_VOCABULARY,
      base: change.base,
      words,
      synonyms: change.synonyms,
      stopWords: [...new Set(change.stopWords.map(canonicalTerm))],
    };
    // Builds it as tagging will (unknown words were taken out above, so this cannot refuse them).
    base.withOverrides({ add: words, synonyms: record.synonyms, stopWords: record.stopWords }, this.vectors);
    const saved = await this.rows.save(tenantId, record);
    this.encoders.delete(tenantId);
    return { record: saved, unknownWords: [...unknown].sort() };
  }
}
