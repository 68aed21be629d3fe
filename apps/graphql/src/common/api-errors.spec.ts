import { apiError, formatError } from './api-errors';

describe('formatError', () => {
  it('passes our own and GraphQL validation errors through with their code and field', () => {
    const logged: string[] = [];
    const own = apiError('BAD_USER_INPUT', 'first: between 1 and 100', 'first');
    expect(
      formatError({ message: own.message, extensions: own.extensions }, own, (m) => logged.push(m)),
    ).toEqual({
      message: 'first: between 1 and 100',
      extensions: { code: 'BAD_USER_INPUT', field: 'first' },
    });
    expect(
      formatError({ message: 'Syntax Error', extensions: { code: 'GRAPHQL_PARSE_FAILED' } }, null, (m) =>
        logged.push(m),
      ).extensions,
    ).toEqual({ code: 'GRAPHQL_PARSE_FAILED' });
    expect(logged).toEqual([]);
  });

  it('hides an unexpected error behind INTERNAL_SERVER_ERROR and logs it', () => {
    const logged: string[] = [];
    const out = formatError(
      {
        message: 'connect ECONNREFUSED 10.0.0.5:5432',
        path: ['items'],
        extensions: { code: 'INTERNAL_SERVER_ERROR', stacktrace: ['…'] },
      },
      new Error('x'),
      (m) => logged.push(m),
    );
    expect(out).toEqual({
      message: expect.stringContaining('internal error'),
      path: ['items'],
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    });
    expect(JSON.stringify(out)).not.toContain('10.0.0.5');
    expect(logged[0]).toContain('ECONNREFUSED');
  });
});
