import { isUuid } from '@catalens/contracts';
import { apiError } from './api-errors';

/**
 * Opaque connection cursors: base64url JSON of the last row's sort key. A cursor that does not
 * decode to one is refused with BAD_USER_INPUT naming the argument, never passed to a query.
 */
export function encodeCursor(key: { createdAt: Date; id: string }): string {
  return Buffer.from(JSON.stringify({ c: key.createdAt.toISOString(), i: key.id })).toString('base64url');
}

export function decodeCursor(cursor: string, argument = 'after'): { createdAt: Date; id: string } {
  const refuse = () =>
    apiError(
      'BAD_USER_INPUT',
      `${argument}: not a cursor of this connection; pass an endCursor it returned`,
      argument,
    );
  if (cursor.length > 200 || !/^[A-Za-z0-9_-]+$/.test(cursor)) throw refuse();
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw refuse();
  }
  const { c, i } = (value ?? {}) as { c?: unknown; i?: unknown };
  if (typeof c !== 'string' || typeof i !== 'string' || !isUuid(i) || Number.isNaN(Date.parse(c)))
    throw refuse();
  return { createdAt: new Date(c), id: i };
}
