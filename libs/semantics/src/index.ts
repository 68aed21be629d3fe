export { WordVectors, cosine, normalize } from './word-vectors/word-vectors';
export { readGloveText, GloveParseError, type GloveReadOptions } from './word-vectors/glove-text';
export { encodeWordVectors, decodeWordVectors, WordVectorFormatError } from './word-vectors/binary-format';
export {
  DEFAULT_WORD_VECTORS,
  loadWordVectors,
  type LoadWordVectorsOptions,
  type LoadedWordVectors,
} from './word-vectors/load-word-vectors';
export {
  Vocabulary,
  VocabularyError,
  canonicalTerm,
  type VocabularyOverrides,
  type VocabularySpec,
  type VocabularyTerm,
} from './vocabulary/vocabulary';
export { PRODUCTS, REAL_ESTATE, SHIPPED_VOCABULARIES } from './vocabulary/shipped-vocabularies';
export {
  TENANT_VOCABULARY,
  TenantVocabularies,
  type TenantVocabularySpec,
} from './vocabulary/tenant-vocabulary';
export { Tagger, type Tag, type TagRequest, type TaggerOptions } from './tagging/tagger';
export { TextQueryEncoder, tokenize, type EncodedQuery } from './text/text-query-encoder';
export { ConseProjector, type SemanticProjector } from './projection/conse';
export { labelVectors } from './projection/label-vectors';
export {
  ConceptSpace,
  LabelConceptsError,
  lemmaForms,
  parseLabelConcepts,
  type ConceptSpaceOptions,
  type LabelConcepts,
  type TermAnchors,
} from './projection/label-concepts';
export { DeviseProjector } from './projection/devise';
export {
  evaluateRetrieval,
  type EvaluatedImage,
  type EvaluationScores,
  type LabelScores,
  type TagConfusion,
} from './evaluation/retrieval-metrics';
