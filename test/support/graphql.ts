/** A GraphQL answer as the tests read it. */
export interface GqlResponse {
  data?: Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- asserted field by field
  errors?: { message: string; extensions?: { code?: string; field?: string } }[];
}

/** POSTs a document to `<baseUrl>/graphql` with `key` as the bearer token (none when null). */
export async function postGraphql(
  baseUrl: string,
  query: string,
  variables: object,
  key: string | null,
): Promise<GqlResponse> {
  const res = await fetch(`${baseUrl}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  return (await res.json()) as GqlResponse;
}
