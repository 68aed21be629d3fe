import {
  CatalogStatsRepository,
  type ApiKeyPrincipal,
  type TenantVocabularyRecord,
  Roles,
} from '@catalens/db';
import { TENANT_VOCABULARY, type Vocabulary } from '@catalens/semantics';
import { UseGuards } from '@nestjs/common';
import { Args, Int, Mutation, Query, Resolver } from '@nestjs/graphql';
import { ApiKeyGuard } from '../auth/api-key.guard';
import { Principal } from '../auth/request-context';
import { apiError } from '../common/api-errors';
import { VocabularyService } from '../vocabulary/vocabulary.service';
import { CatalogStats, VocabularyInput, VocabularyUpdate, VocabularyView } from './catalog.models';
import { EmbeddingMap, MapColor } from './embedding-map.models';
import { EmbeddingMapService } from './embedding-map.service';
import { toItem } from '../items/items.resolver';

const LIST_MAX = 2_000;
const WORD_MAX = 64;

function view(vocabulary: Vocabulary, name: string, record?: TenantVocabularyRecord): VocabularyView {
  return {
    name,
    base: record ? (record.base ?? null) : name === TENANT_VOCABULARY ? vocabulary.name : null,
    terms: vocabulary.terms.map((t) => t.term),
    addedWords: record?.words ?? [],
    synonyms: Object.entries(vocabulary.synonymGroups()).map(([term, words]) => ({ term, words })),
    stopWords: [...vocabulary.stopWords].sort(),
    updatedAt: record?.updatedAt ?? null,
  };
}

function checkWords(words: readonly string[], field: string): void {
  if (words.length > LIST_MAX)
    throw apiError('BAD_USER_INPUT', `${field}: at most ${LIST_MAX} entries`, field);
  const bad = words.find((w) => w.trim().length === 0 || w.length > WORD_MAX);
  if (bad !== undefined)
    throw apiError(
      'BAD_USER_INPUT',
      `${field}: "${bad.slice(0, 80)}" is empty or over ${WORD_MAX} characters`,
      field,
    );
}

@Resolver()
@UseGuards(ApiKeyGuard)
export class CatalogResolver {
  constructor(
    private readonly catalog: CatalogStatsRepository,
    private readonly vocabularies: VocabularyService,
    private readonly maps: EmbeddingMapService,
  ) {}

  @Query(() => EmbeddingMap, {
    description:
      'The semantic vectors of up to `maxPoints` indexed items (≤ 5,000), projected to 2-D by PCA, coloured by category or tag. Not a page: its cost is bounded by that cap (one store scan), not by the cost limit’s `first` rule',
  })
  @Roles('search', 'curate', 'admin')
  async embeddingMap(
    @Principal() principal: ApiKeyPrincipal,
    @Args('colorBy', { type: () => MapColor, defaultValue: MapColor.CATEGORY }) colorBy: MapColor,
    @Args('maxPoints', { type: () => Int, defaultValue: 1_000 }) maxPoints: number,
  ): Promise<EmbeddingMap> {
    const map = await this.maps.map(principal.tenantId, colorBy, maxPoints);
    return { ...map, points: map.points.map((p) => ({ ...p, item: toItem(p.item) })) };
  }

  @Query(() => CatalogStats, { description: 'Items by status, tag decisions and model versions' })
  @Roles('search', 'curate', 'admin')
  async stats(@Principal() principal: ApiKeyPrincipal): Promise<CatalogStats> {
    const s = await this.catalog.stats(principal.tenantId);
    const decided = s.tags.accepted + s.tags.rejected;
    return {
      itemsByStatus: Object.entries(s.itemsByStatus).map(([status, items]) => ({
        status: status.toUpperCase(),
        items,
      })),
      suggestedTags: s.tags.suggested,
      acceptedTags: s.tags.accepted,
      rejectedTags: s.tags.rejected,
      manualTags: s.tags.manual,
      tagAcceptanceRate: decided === 0 ? null : s.tags.accepted / decided,
      modelVersions: s.modelVersions,
    };
  }

  @Query(() => VocabularyView, {
    nullable: true,
    description: `"${TENANT_VOCABULARY}": the tenant's vocabulary as tagging uses it; "products" or "real-estate": a shipped one; null for any other name`,
  })
  @Roles('search', 'curate', 'admin')
  async vocabulary(
    @Args('name', { defaultValue: TENANT_VOCABULARY }) name: string,
    @Principal() principal: ApiKeyPrincipal,
  ): Promise<VocabularyView | null> {
    if (name === TENANT_VOCABULARY) {
      const { vocabulary, record } = await this.vocabularies.resolve(principal.tenantId);
      return view(vocabulary, name, record);
    }
    const shipped = this.vocabularies.shipped(name);
    return shipped ? view(shipped, name) : null;
  }

  @Mutation(() => VocabularyUpdate, {
    description:
      'Replaces the tenant’s vocabulary changes (new tags use it on the next embedding; queries within 30 s). Unknown words are reported and left out.',
  })
  @Roles('curate', 'admin')
  async upsertVocabulary(
    @Args('input') input: VocabularyInput,
    @Principal() principal: ApiKeyPrincipal,
  ): Promise<VocabularyUpdate> {
    if (input.base != null && !this.vocabularies.shipped(input.base))
      throw apiError(
        'BAD_USER_INPUT',
        `base: no shipped vocabulary "${input.base}"; use products or real-estate`,
        'base',
      );
    checkWords(input.words, 'words');
    checkWords(input.stopWords, 'stopWords');
    checkWords(
      input.synonyms.map((s) => s.term),
      'synonyms',
    );
    input.synonyms.forEach((s) => checkWords(s.words, `synonyms.${s.term}`));
    const { record, unknownWords } = await this.vocabularies.save(principal.tenantId, {
      base: input.base ?? null,
      words: input.words,
      synonyms: Object.fromEntries(input.synonyms.map((s) => [s.term, s.words])),
      stopWords: input.stopWords,
    });
    const { vocabulary } = await this.vocabularies.resolve(principal.tenantId);
    return { vocabulary: view(vocabulary, TENANT_VOCABULARY, record), unknownWords };
  }
}
