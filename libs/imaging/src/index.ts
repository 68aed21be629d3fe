export { IMAGE_REJECTION_STATUS, ImageRejectedError, type ImageRejectionCode } from './errors';
export {
  DEFAULT_NORMALIZE_OPTIONS,
  normalizeImage,
  type NormalizeOptions,
  type NormalizedImage,
} from './normalize-image';
export { differenceHash, hammingDistance, hashToSignedBigInt, signedBigIntToHash } from './perceptual-hash';
export { sniffImageFormat, type SniffedFormat } from './sniff';
export { AddressPolicy } from './fetch/address-policy';
export { ImageFetchError, type ImageFetchErrorCode } from './fetch/fetch-errors';
export {
  DEFAULT_FETCH_POLICY,
  SafeImageFetcher,
  type FetchPolicyOptions,
  type FetchedImage,
} from './fetch/safe-image-fetcher';
