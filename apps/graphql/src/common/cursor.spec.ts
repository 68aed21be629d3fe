import fc from 'fast-check';
import { GraphQLError } from 'graphql';
import { decodeCursor, encodeCursor } from './cursor';

describe('connection cursors', () => {
  it('round-trip every position', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date(0), max: new Date('2100-01-01'), noInvalidDate: true }),
        fc.uuid(),
        (createdAt, id) => {
          expect(decodeCursor(encodeCursor({ createdAt, id }))).toEqual({ createdAt, id });
        },
      ),
    );
  });

  it('refuse anything that is not one of their own, naming the argument', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (text) => {
        try {
          const position = decodeCursor(text);
          // The rare string that decodes must still be a well-formed position.
          expect(position.id).toMatch(/^[0-9a-f-]{36}$/i);
        } catch (error) {
          expect(error).toBeInstanceOf(GraphQLError);
          expect((error as GraphQLError).extensions).toMatchObject({
            code: 'BAD_USER_INPUT',
            field: 'after',
          });
        }
      }),
    );
    const forged = Buffer.from(JSON.stringify({ c: '2026-01-01T00:00:00Z', i: "1' OR '1'='1" })).toString(
      'base64url',
    );
    expect(() => decodeCursor(forged)).toThrow('after: not a cursor of this connection');
  });
});
