import { GraphQLError, type GraphQLFormattedError } from 'graphql';

/** Stable `extensions.code` values clients can switch on. */
export type ApiErrorCode =
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'BAD_USER_INPUT'
  | 'NOT_FOUND'
  | 'SERVICE_UNAVAILABLE'
  | 'INTERNAL_SERVER_ERROR';

export function apiError(code: ApiErrorCode, message: string, field?: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code, ...(field ? { field } : {}) } });
}

/** A connection's `first`: 1 to `max` (GRAPHQL_MAX_PAGE_SIZE). */
export function checkPageSize(first: number, max: number): void {
  if (!Number.isInteger(first) || first < 1 || first > max)
    throw apiError('BAD_USER_INPUT', `first: between 1 and ${max}, got ${first}`, 'first');
}

/** Our codes, and those Apollo and graphql-armor give a malformed or over-limit query. */
export const CLIENT_CODES: ReadonlySet<string> = new Set<string>([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_REQUEST',
  'PERSISTED_QUERY_NOT_FOUND',
  'OPERATION_RESOLUTION_FAILURE',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'BAD_USER_INPUT',
  'NOT_FOUND',
  'SERVICE_UNAVAILABLE',
  'PAYLOAD_TOO_LARGE',
]);

/**
 * Every error leaves with a stable code; anything unexpected becomes INTERNAL_SERVER_ERROR with
 * a generic message (the details go to the log, never to the client).
 */
export function formatError(
  formatted: GraphQLFormattedError,
  _error: unknown,
  log: (message: string) => void,
): GraphQLFormattedError {
  const raw = formatted.extensions?.code;
  const code = typeof raw === 'string' ? raw : '';
  if (CLIENT_CODES.has(code)) {
    return {
      message: formatted.message,
      ...(formatted.locations ? { locations: formatted.locations } : {}),
      ...(formatted.path ? { path: formatted.path } : {}),
      extensions: {
        code,
        ...(formatted.extensions?.field ? { field: formatted.extensions.field } : {}),
      },
    };
  }
  log(`unexpected error: ${formatted.message}`);
  return {
    message: 'internal error; it was logged, retry later or report it with the time of the request',
    ...(formatted.path ? { path: formatted.path } : {}),
    extensions: { code: 'INTERNAL_SERVER_ERROR' },
  };
}
