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

let ingestBase: Promise<string> | undefined;
/** The ingest app's base URL, from the API's /dashboard-config.json ('' = this origin). */
export function ingestUrl(): Promise<string> {
  ingestBase ??= fetch('/dashboard-config.json')
    .then(async (r) => (r.ok ? ((await r.json()) as { ingestUrl?: string }).ingestUrl : undefined))
    .then((url) => url ?? '')
    .catch(() => '');
  return ingestBase;
}

/** What ingest answers for one item: accepted (202), unchanged (200) or refused with a reason. */
export interface IngestOutcome {
  outcome: 'accepted' | 'unchanged' | 'rejected';
  id?: string;
  message?: string;
}

async function ingestAnswer(res: Response): Promise<IngestOutcome> {
  const body = (await res.json().catch(() => ({}))) as {
    outcome?: IngestOutcome['outcome'];
    id?: string;
    error?: { message?: string };
  };
  if (res.ok && body.outcome) return { outcome: body.outcome, ...(body.id ? { id: body.id } : {}) };
  return { outcome: 'rejected', message: body.error?.message ?? `ingest answered ${res.status}` };
}

/** Sends one photo as multipart/form-data (`POST /v1/items/upload`). */
export async function ingestFile(
  file: File,
  fields: { externalId: string; title: string; category?: string },
): Promise<IngestOutcome> {
  const form = new FormData();
  form.set('externalId', fields.externalId);
  form.set('title', fields.title);
  if (fields.category) form.set('category', fields.category);
  form.set('image', file);
  const res = await fetch(`${await ingestUrl()}/v1/items/upload`, {
    method: 'POST',
    headers: { 'x-api-key': apiKey.get() },
    body: form,
  });
  return ingestAnswer(res);
}

/** Sends one item by image URL (`POST /v1/items`); ingest fetches the URL itself. */
export async function ingestImageUrl(fields: {
  externalId: string;
  title: string;
  imageUrl: string;
  category?: string;
}): Promise<IngestOutcome> {
  const res = await fetch(`${await ingestUrl()}/v1/items`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': apiKey.get() },
    body: JSON.stringify(fields),
  });
  return ingestAnswer(res);
}

/** An item's processing status (`GET /v1/items/:externalId`). */
export async function ingestStatus(
  externalId: string,
): Promise<{ id: string; status: string; failureReason: string | null }> {
  const res = await fetch(`${await ingestUrl()}/v1/items/${encodeURIComponent(externalId)}`, {
    headers: { 'x-api-key': apiKey.get() },
  });
  if (!res.ok) throw new ApiError(`status answered ${res.status}`, 'STATUS_FAILED');
  return (await res.json()) as { id: string; status: string; failureReason: string | null };
}
