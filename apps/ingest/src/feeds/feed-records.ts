import type { Readable } from 'node:stream';
import { parse as parseCsv } from 'csv-parse';
import split from 'split2';

/** One feed line: a candidate item, or why the line could not even be read as one. */
export type FeedRecord =
  | { line: number; item: Record<string, unknown> }
  | { line: number; error: { code: string; message: string } };

export type FeedFormat = 'ndjson' | 'csv';

/** Longest accepted line (bytes); a longer one would otherwise be buffered without bound. */
export const MAX_FEED_LINE_BYTES = 1024 * 1024;

export function feedFormatOf(contentType: string | undefined): FeedFormat | undefined {
  const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (
    ['application/x-ndjson', 'application/ndjson', 'application/jsonl', 'application/x-jsonlines'].includes(
      type,
    )
  )
    return 'ndjson';
  if (type === 'text/csv') return 'csv';
  return undefined;
}

/** NDJSON: one JSON object per line; blank lines are skipped but counted. */
export async function* ndjsonRecords(body: Readable): AsyncGenerator<FeedRecord> {
  let line = 0;
  for await (const text of body.pipe(split({ maxLength: MAX_FEED_LINE_BYTES })) as AsyncIterable<string>) {
    line++;
    if (text.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      yield { line, error: { code: 'INVALID_JSON', message: `line ${line} is not valid JSON` } };
      continue;
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      yield {
        line,
        error: { code: 'INVALID_FIELD', message: `line ${line} must be a JSON object (one item)` },
      };
      continue;
    }
    yield { line, item: value as Record<string, unknown> };
  }
}

const NUMERIC = new Set(['price']);

/**
 * CSV with a header row. Columns are item fields; `attributes` may hold a JSON object and
 * `attr.<name>` columns become string attributes. Empty cells are absent fields.
 */
export async function* csvRecords(body: Readable): AsyncGenerator<FeedRecord> {
  const parser = body.pipe(
    parseCsv({
      columns: true,
      bom: true,
      info: true,
      trim: true,
      skip_empty_lines: true,
      max_record_size: MAX_FEED_LINE_BYTES,
    }),
  );
  for await (const { record, info } of parser as AsyncIterable<{
    record: Record<string, string>;
    info: { lines: number };
  }>) {
    const line = info.lines;
    const item: Record<string, unknown> = {};
    const attributes: Record<string, unknown> = {};
    let error: string | undefined;
    for (const [column, cell] of Object.entries(record)) {
      if (cell === '') continue;
      if (column.startsWith('attr.')) attributes[column.slice(5)] = cell;
      else if (column === 'attributes') {
        try {
          Object.assign(attributes, JSON.parse(cell) as object);
        } catch {
          error = `line ${line}: the attributes cell is not a JSON object`;
        }
      } else if (NUMERIC.has(column)) item[column] = Number.isFinite(Number(cell)) ? Number(cell) : cell;
      else item[column] = cell;
    }
    if (error) {
      yield { line, error: { code: 'INVALID_FIELD', message: error } };
      continue;
    }
    if (Object.keys(attributes).length > 0) item.attributes = attributes;
    yield { line, item };
  }
}
