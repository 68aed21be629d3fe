/** The GraphQL API of the same origin, with the key the merchandiser entered once. */
const KEY_STORAGE = 'catalens.apiKey';

export const apiKey = {
  get: (): string => localStorage.getItem(KEY_STORAGE) ?? '',
  set: (key: string): void => localStorage.setItem(KEY_STORAGE, key.trim()),
  clear: (): void => localStorage.removeItem(KEY_STORAGE),
};

export class ApiError extends Error {
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
  }
}

export async function gql<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const res = await fetch('/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': apiKey.get() },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as {
    data?: T;
    errors?: { message: string; extensions?: { code?: string } }[];
  };
  if (body.errors?.length) {
    const [first] = body.errors;
    throw new ApiError(first.message, first.extensions?.code ?? 'ERROR');
  }
  return body.data!;
}

export interface Tag {
  word: string;
  score: number | null;
  source: 'AUTO' | 'MANUAL';
  state: 'SUGGESTED' | 'ACCEPTED' | 'REJECTED';
}

export interface Item {
  id: string;
  externalId: string;
  title: string;
  category: string | null;
  price: number | null;
  currency: string | null;
  status: string;
  thumbnailUrl: string | null;
  tags?: Tag[];
}

export const ITEM_FIELDS = 'id externalId title category price currency status thumbnailUrl';
