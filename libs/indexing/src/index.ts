export { SEMANTIC, VISUAL, collectionForVersion, itemCollectionSpec } from './item-collection';
export {
  cardOf,
  itemPayload,
  itemPoint,
  payloadChanged,
  productUrl,
  type ItemCard,
  type ItemPayload,
  type PayloadCard,
} from './item-point';
export {
  ReindexError,
  ReindexService,
  reindexRecord,
  type ReindexProgress,
  type ReindexRequest,
  type ReindexResult,
} from './reindex';
