import { loadGraphqlConfig } from './config';

const base = { DATABASE_URL: 'postgresql://u:p@localhost:5432/db', API_KEY_PEPPER: 'p'.repeat(32) };

describe('GraphQL configuration', () => {
  it('turns introspection off by default where NODE_ENV=production, on elsewhere', () => {
    expect(loadGraphqlConfig({ ...base, NODE_ENV: 'production' }).GRAPHQL_INTROSPECTION).toBe(false);
    expect(loadGraphqlConfig({ ...base }).GRAPHQL_INTROSPECTION).toBe(true);
    expect(loadGraphqlConfig({ ...base, NODE_ENV: 'development' }).GRAPHQL_INTROSPECTION).toBe(true);
  });

  it('lets GRAPHQL_INTROSPECTION decide either way, and refuses a value that is not a boolean', () => {
    expect(
      loadGraphqlConfig({ ...base, NODE_ENV: 'production', GRAPHQL_INTROSPECTION: 'true' })
        .GRAPHQL_INTROSPECTION,
    ).toBe(true);
    expect(loadGraphqlConfig({ ...base, GRAPHQL_INTROSPECTION: '0' }).GRAPHQL_INTROSPECTION).toBe(false);
    expect(() => loadGraphqlConfig({ ...base, GRAPHQL_INTROSPECTION: 'yes' })).toThrow(
      /GRAPHQL_INTROSPECTION/,
    );
  });

  it('bounds the request body limit', () => {
    expect(loadGraphqlConfig(base).GRAPHQL_MAX_BODY_BYTES).toBe(1024 * 1024);
    expect(() => loadGraphqlConfig({ ...base, GRAPHQL_MAX_BODY_BYTES: '10' })).toThrow(
      /GRAPHQL_MAX_BODY_BYTES/,
    );
  });
});
