export { SEMANTIC, VISUAL, collectionForVersion, itemCollectionSpec } from './item-collection';
export { itemPayload, itemPoint, payloadChanged, type ItemPayload } from './item-point';
