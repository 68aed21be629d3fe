export { TOPICS, type TopicName } from './topics';
export { ContractViolationError, EnvelopeTooLargeError, preview } from './errors';
export { POINT_ID_NAMESPACE, isUuid, itemKey, pointId } from './ids';
export {
  ITEM_SCHEMA_V1,
  MAX_ENVELOPE_BYTES,
  MAX_IMAGE_SIDE,
  decodeItemEnvelope,
  encodeItemEnvelope,
  imageMimeSchema,
  itemEnvelopeV1Schema,
  itemMetadataSchema,
  type ItemEnvelopeV1,
} from './item-envelope';
export {
  DLQ_REPLAY_HEADERS,
  DLQ_SCHEMA_V1,
  decodeDlqEnvelope,
  dlqEnvelopeV1Schema,
  encodeDlqEnvelope,
  type DlqEnvelopeV1,
} from './dlq-envelope';
export { findTextFault, textFault } from './text';
