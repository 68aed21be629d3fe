import { isUtf8 } from 'node:buffer';
import type { IncomingMessage, ServerResponse } from 'node:http';

/** body-parser's errors (and ours below) carry `expose`, a 4xx `status` and a `type`. */
export interface BodyError {
  status: number;
  expose: boolean;
  type?: string;
  message: string;
  length?: number;
  limit?: number;
}

export const isBodyError = (error: unknown): error is BodyError =>
  typeof error === 'object' &&
  error !== null &&
  (error as BodyError).expose === true &&
  typeof (error as BodyError).status === 'number' &&
  (error as BodyError).status >= 400 &&
  (error as BodyError).status < 500;

const CODES: Record<string, string> = {
  'entity.too.large': 'PAYLOAD_TOO_LARGE',
  'entity.parse.failed': 'BAD_REQUEST',
  'encoding.invalid': 'BAD_REQUEST',
  'encoding.unsupported': 'UNSUPPORTED_MEDIA_TYPE',
  'charset.unsupported': 'UNSUPPORTED_MEDIA_TYPE',
  'request.aborted': 'BAD_REQUEST',
};

/**
 * Body parsers decode bytes that are not UTF-8 into U+FFFD without a word, so an item's text
 * would be stored damaged and acknowledged. Refuse such a body instead, saying where it breaks.
 */
export function refuseInvalidUtf8(_req: IncomingMessage, _res: ServerResponse, buf: Buffer): void {
  if (isUtf8(buf)) return;
  let end = buf.length;
  let start = 0;
  // The first bad byte: the shortest prefix that is not valid UTF-8 (a bad sequence starts ≤ 3 bytes before it).
  while (end - start > 1) {
    const mid = (start + end) >>> 1;
    if (isUtf8(buf.subarray(0, mid))) start = mid;
    else end = mid;
  }
  const error = Object.assign(
    new Error(
      `the body is not valid UTF-8 (a bad byte sequence near byte ${Math.max(0, start - 3)}); send UTF-8 text`,
    ),
    { status: 400, expose: true, type: 'encoding.invalid' },
  );
  throw error;
}

function messageOf(error: BodyError, setting: string | undefined): string {
  if (error.type === 'entity.too.large') {
    const size = error.length ? `${error.length} bytes` : 'over the limit';
    return `the body is ${size}; the limit is ${error.limit} bytes${setting ? ` (${setting})` : ''}: send less per request`;
  }
  if (error.type === 'entity.parse.failed') return `the body is not valid JSON: ${error.message}`;
  return error.message;
}

/**
 * Answers a body the parsers refused (too large, not JSON, not UTF-8, unsupported charset) with
 * its 4xx and a JSON error naming the problem — in the app's error shape. Without it Express
 * answered GraphQL's refused bodies with 404 "Cannot POST /graphql".
 */
export function bodyErrorHandler(setting: string | undefined, shape: 'rest' | 'graphql') {
  return (
    error: unknown,
    _req: IncomingMessage,
    res: ServerResponse & { status(code: number): { json(body: unknown): void } },
    next: (error?: unknown) => void,
  ): void => {
    if (!isBodyError(error) || res.headersSent) return next(error);
    const code = CODES[error.type ?? ''] ?? 'BAD_REQUEST';
    const message = messageOf(error, setting);
    res
      .status(error.status)
      .json(
        shape === 'graphql' ? { errors: [{ message, extensions: { code } }] } : { error: { code, message } },
      );
  };
}
