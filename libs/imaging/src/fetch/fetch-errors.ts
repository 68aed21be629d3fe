export type ImageFetchErrorCode =
  | 'URL_INVALID'
  | 'URL_SCHEME_NOT_ALLOWED'
  | 'URL_ADDRESS_FORBIDDEN'
  | 'URL_UNRESOLVABLE'
  | 'FETCH_TIMEOUT'
  | 'FETCH_HTTP_ERROR'
  | 'FETCH_TOO_LARGE'
  | 'FETCH_TOO_MANY_REDIRECTS'
  | 'FETCH_FAILED'
  | 'FETCH_BUSY';

const STATUS: Record<ImageFetchErrorCode, 400 | 413 | 422 | 503> = {
  URL_INVALID: 400,
  URL_SCHEME_NOT_ALLOWED: 400,
  URL_ADDRESS_FORBIDDEN: 400,
  URL_UNRESOLVABLE: 422,
  FETCH_TIMEOUT: 422,
  FETCH_HTTP_ERROR: 422,
  FETCH_TOO_LARGE: 413,
  FETCH_TOO_MANY_REDIRECTS: 422,
  FETCH_FAILED: 422,
  FETCH_BUSY: 503,
};

/**
 * An image URL could not be fetched. `retryable` marks failures worth another attempt
 * (timeouts, 5xx, resets); URL and policy refusals never are.
 */
export class ImageFetchError extends Error {
  readonly status: 400 | 413 | 422 | 503;
  constructor(
    readonly code: ImageFetchErrorCode,
    message: string,
    readonly retryable = false,
  ) {
    super(message);
    this.name = 'ImageFetchError';
    this.status = STATUS[code];
  }
}
