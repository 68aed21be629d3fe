export { SEMANTIC, VISUAL, collectionForVersion, itemCollectionSpec } from './item-collection';
export { itemPayload, itemPoint, payloadChanged, type ItemPayload } from './item-point';
export {
  ReindexError,
  ReindexService,
  reindexRecord,
  type ReindexProgress,
  type ReindexRequest,
  type ReindexResult,
} from './reindex';
