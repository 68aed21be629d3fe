import { isUtf8 } from 'node:buffer';
import { type Readable, Transform, pipeline } from 'node:stream';
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

/** A feed line that is not UTF-8: the feed stops there, naming the line. */
export class FeedEncodingError extends Error {
  readonly code = 'FEED_INVALID_UTF8';
  constructor(readonly line: number) {
    super(`line ${line} is not valid UTF-8`);
  }
}

/**
 * Passes the feed's bytes on a line at a time after checking each line is UTF-8. The parsers
 * behind it decode with replacement, so without this a Latin-1 feed would be stored as U+FFFD and
 * acknowledged line by line. At the first bad line the stream ends cleanly (so every line before
 * it is still parsed and ingested) and `failure` holds the error the parser's reader then throws.
 */
function utf8Lines(failure: { error?: FeedEncodingError }): Transform {
  let line = 0;
  let carry: Buffer = Buffer.alloc(0);
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      if (failure.error) return done();
      const bytes = carry.length ? Buffer.concat([carry, chunk]) : chunk;
      let start = 0;
      for (let end = bytes.indexOf(0x0a); end >= 0; end = bytes.indexOf(0x0a, start)) {
        if (!isUtf8(bytes.subarray(start, end))) {
          failure.error = new FeedEncodingError(line + 1);
          this.push(bytes.subarray(0, start));
          this.push(null);
          return done();
        }
        line++;
        start = end + 1;
      }
      this.push(bytes.subarray(0, start));
      carry = bytes.subarray(start);
      // An over-long line goes on unchecked; the parser behind refuses it by its own length limit.
      if (carry.length > MAX_FEED_LINE_BYTES) {
        this.push(carry);
        carry = Buffer.alloc(0);
      }
      done();
    },
    flush(done) {
      if (failure.error) return done();
      if (carry.length && !isUtf8(carry)) {
        failure.error = new FeedEncodingError(line + 1);
        return done();
      }
      done(null, carry);
    },
  });
}

/**
 * Reads a parser fed through the UTF-8 check; an error anywhere ends the iteration with it. The
 * body is piped, not part of the pipeline: a pipeline destroys a source it did not finish, and
 * destroying the request closed the keep-alive socket under the answer (and under the client's
 * next request). What is left of a stopped body is the controller's to drain.
 */
async function* parsed<T>(body: Readable, parser: NodeJS.ReadWriteStream): AsyncGenerator<T> {
  const failure: { error?: FeedEncodingError } = {};
  const guard = utf8Lines(failure);
  const abort = (error: Error) => guard.destroy(error);
  body.once('error', abort);
  body.pipe(guard);
  guard.once('end', () => body.unpipe(guard));
  try {
    yield* pipeline(guard, parser, () => undefined) as unknown as AsyncIterable<T>;
  } finally {
    body.unpipe(guard);
    body.off('error', abort);
  }
  if (failure.error) throw failure.error;
}

/** NDJSON: one JSON object per line; blank lines are skipped but counted. */
export async function* ndjsonRecords(body: Readable): AsyncGenerator<FeedRecord> {
  let line = 0;
  for await (const text of parsed<string>(body, split({ maxLength: MAX_FEED_LINE_BYTES }))) {
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
  const parser = parsed<{ record: Record<string, string>; info: { lines: number } }>(
    body,
    parseCsv({
      columns: true,
      bom: true,
      info: true,
      trim: true,
      skip_empty_lines: true,
      max_record_size: MAX_FEED_LINE_BYTES,
    }),
  );
  for await (const { record, info } of parser) {
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
