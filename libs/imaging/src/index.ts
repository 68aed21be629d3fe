export { IMAGE_REJECTION_STATUS, ImageRejectedError, type ImageRejectionCode } from './errors';
export {
  DEFAULT_NORMALIZE_OPTIONS,
  normalizeImage,
  type NormalizeOptions,
  type NormalizedImage,
} from './normalize-image';
export { differenceHash, hammingDistance, hashToSignedBigInt, signedBigIntToHash } from './perceptual-hash';
export { sniffImageFormat, type SniffedFormat } from './sniff';
