export type ImageRejectionCode =
  | 'IMAGE_EMPTY'
  | 'IMAGE_TOO_LARGE'
  | 'IMAGE_TOO_MANY_PIXELS'
  | 'IMAGE_UNSUPPORTED_TYPE'
  | 'IMAGE_ANIMATED'
  | 'IMAGE_CORRUPT'
  | 'IMAGE_TOO_SMALL';

/** HTTP status each rejection maps to at the edge (413 size, 415 type, 422 unusable content). */
export const IMAGE_REJECTION_STATUS: Record<ImageRejectionCode, 413 | 415 | 422> = {
  IMAGE_EMPTY: 422,
  IMAGE_TOO_LARGE: 413,
  IMAGE_TOO_MANY_PIXELS: 413,
  IMAGE_UNSUPPORTED_TYPE: 415,
  IMAGE_ANIMATED: 415,
  IMAGE_CORRUPT: 422,
  IMAGE_TOO_SMALL: 422,
};

/** The image cannot be used. Permanent: the same bytes will always be refused. */
export class ImageRejectedError extends Error {
  readonly status: 413 | 415 | 422;
  constructor(
    readonly code: ImageRejectionCode,
    message: string,
  ) {
    super(message);
    this.name = 'ImageRejectedError';
    this.status = IMAGE_REJECTION_STATUS[code];
  }
}
