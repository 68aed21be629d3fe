import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { PrismaClient } from '@catalens/db';
import { parse } from 'csv-parse/sync';

export interface SampleItem {
  externalId: string;
  title: string;
  category: string;
  /** Absolute path of the photo. */
  imagePath: string;
}

export class SampleCatalogError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SampleCatalogError';
  }
}

/** Reads `<dir>/items.csv` (`externalId,title,category,image`; image absolute or relative to `dir`). */
export function readSampleCatalog(dir: string, limit?: number): SampleItem[] {
  const file = join(dir, 'items.csv');
  if (!existsSync(file))
    throw new SampleCatalogError(
      `no ${file}: CATALENS_SAMPLE_CATALOG must be a folder with items.csv (externalId,title,category,image), or none`,
    );
  const rows = parse<Record<string, string>>(readFileSync(file), {
    columns: true,
    skip_empty_lines: true,
    trim: true,
  });
  const items = rows.slice(0, limit).map((row, i) => {
    const { externalId, title, category, image } = row;
    if (!externalId || !title || !image)
      throw new SampleCatalogError(`${file} line ${i + 2}: externalId, title and image are required`);
    const imagePath = resolve(dir, image);
    if (!existsSync(imagePath))
      throw new SampleCatalogError(`${file} line ${i + 2}: no image at ${imagePath}`);
    return { externalId, title, category: category ?? '', imagePath };
  });
  if (items.length === 0) throw new SampleCatalogError(`${file} lists no items`);
  return items;
}

export interface IngestOutcome {
  accepted: number;
  unchanged: number;
  rejected: { externalId: string; message: string }[];
}

/**
 * Sends the items through the ingest HTTP API (the path every client takes: validation,
 * normalization, dedupe, record, publish), `batchSize` per request.
 */
export async function ingestSampleCatalog(options: {
  items: SampleItem[];
  ingestUrl: string;
  apiKey: string;
  batchSize?: number;
  onProgress?: (sent: number) => void;
}): Promise<IngestOutcome> {
  const outcome: IngestOutcome = { accepted: 0, unchanged: 0, rejected: [] };
  const size = options.batchSize ?? 25;
  for (let i = 0; i < options.items.length; i += size) {
    const batch = options.items.slice(i, i + size);
    const body = batch.map((item) => ({
      externalId: item.externalId,
      title: item.title,
      ...(item.category ? { category: item.category } : {}),
      imageBase64: readFileSync(item.imagePath).toString('base64'),
    }));
    const response = await fetch(`${options.ingestUrl}/v1/items`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': options.apiKey },
      body: JSON.stringify(body),
    });
    const answer = (await response.json().catch(() => ({}))) as {
      results?: { externalId?: string; outcome: string; error?: { message?: string } }[];
      error?: { message?: string };
    };
    if (!answer.results)
      throw new SampleCatalogError(
        `ingest answered ${response.status} to a sample batch: ${answer.error?.message ?? 'no results'}`,
      );
    answer.results.forEach((result, j) => {
      if (result.outcome === 'accepted') outcome.accepted++;
      else if (result.outcome === 'unchanged') outcome.unchanged++;
      else
        outcome.rejected.push({
          externalId: batch[j]?.externalId ?? '?',
          message: result.error?.message ?? result.outcome,
        });
    });
    options.onProgress?.(Math.min(options.items.length, i + size));
  }
  return outcome;
}

/**
 * Resolves when every listed item of the tenant is indexed or failed, reporting the count as it
 * grows; rejects after `timeoutMs` without progress.
 */
export async function waitUntilIndexed(options: {
  prisma: PrismaClient;
  tenantId: string;
  externalIds: string[];
  onProgress?: (done: number) => void;
  timeoutMs?: number;
}): Promise<{ indexed: number; failed: number }> {
  const stallLimit = options.timeoutMs ?? 300_000;
  let last = -1;
  let lastChange = Date.now();
  for (;;) {
    const groups = await options.prisma.item.groupBy({
      by: ['status'],
      where: { tenantId: options.tenantId, externalId: { in: options.externalIds } },
      _count: { _all: true },
    });
    const count = (status: string) => groups.find((g) => g.status === status)?._count._all ?? 0;
    const indexed = count('indexed');
    const failed = count('failed');
    const done = indexed + failed;
    if (done !== last) {
      last = done;
      lastChange = Date.now();
      options.onProgress?.(done);
    }
    if (done >= options.externalIds.length) return { indexed, failed };
    if (Date.now() - lastChange > stallLimit)
      throw new SampleCatalogError(
        `no sample item was indexed for ${Math.round(stallLimit / 1000)} s (${done}/${options.externalIds.length} done); see the embedder's log above`,
      );
    await new Promise((r) => setTimeout(r, 500));
  }
}
