import type { Readable } from 'node:stream';
import { BusUnavailableError } from '@catalens/bus';
import { Injectable } from '@nestjs/common';
import { ItemIngestService } from '../items/item-ingest.service';
import {
  FeedEncodingError,
  type FeedFormat,
  type FeedRecord,
  csvRecords,
  ndjsonRecords,
} from './feed-records';

export interface FeedLineResult {
  line: number;
  externalId?: string;
  outcome: 'accepted' | 'unchanged' | 'rejected';
  status: number;
  id?: string;
  duplicateOf?: string | null;
  error?: { code: string; message: string; field?: string };
}

export interface FeedSummary {
  lines: number;
  accepted: number;
  unchanged: number;
  rejected: number;
  /** Set when the feed stopped early; lines after `line` were not processed. */
  stopped?: { line: number; code: string; message: string };
}

/** Items ingested per round trip to Kafka: bounds memory and keeps sendBatch efficient. */
const FEED_BATCH = 50;

/**
 * Streams a catalog feed through the item ingest path. At most one batch is in memory: the
 * parser is consumed with `for await`, so a slow Kafka or image host pauses the upload itself.
 */
@Injectable()
export class FeedIngestService {
  constructor(private readonly ingest: ItemIngestService) {}

  async *run(
    tenantId: string,
    format: FeedFormat,
    body: Readable,
    maxLines: number,
  ): AsyncGenerator<FeedLineResult, FeedSummary> {
    const summary: FeedSummary = { lines: 0, accepted: 0, unchanged: 0, rejected: 0 };
    const records = format === 'csv' ? csvRecords(body) : ndjsonRecords(body);
    let batch: FeedRecord[] = [];
    const flush = async function* (this: FeedIngestService): AsyncGenerator<FeedLineResult> {
      const items = batch.filter((r): r is Extract<FeedRecord, { item: unknown }> => 'item' in r);
      const outcomes =
        items.length > 0
          ? await this.ingest.ingest(
              tenantId,
              items.map((r) => r.item),
              { route: 'feed' },
            )
          : [];
      let next = 0;
      for (const record of batch) {
        let result: FeedLineResult;
        if ('error' in record) {
          result = { line: record.line, outcome: 'rejected', status: 400, error: record.error };
        } else {
          const { index: _index, statusUrl: _url, itemStatus: _status, ...outcome } = outcomes[next++]!;
          // Within a feed, field names are relative to the line, not to an `items[i]` batch index.
          if (outcome.error?.field) outcome.error.field = outcome.error.field.replace(/^items\[\d+\]\./, '');
          result = { line: record.line, ...outcome };
        }
        summary[result.outcome]++;
        yield result;
      }
      batch = [];
    }.bind(this);

    try {
      for await (const record of records) {
        summary.lines++;
        if (summary.lines > maxLines) {
          summary.lines--;
          summary.stopped = {
            line: record.line,
            code: 'FEED_TOO_LONG',
            message: `the feed has more than ${maxLines} lines; split it`,
          };
          break;
        }
        batch.push(record);
        if (batch.length >= FEED_BATCH) yield* flush();
      }
      if (!summary.stopped) yield* flush();
    } catch (error) {
      const line = batch[0]?.line ?? summary.lines;
      if (error instanceof BusUnavailableError) {
        summary.stopped = {
          line,
          code: 'BROKER_UNAVAILABLE',
          message: 'the message broker became unavailable; resend the feed from this line',
        };
      } else if (error instanceof FeedEncodingError) {
        // Every line before the bad one was read whole: send those still in the batch, then stop.
        try {
          yield* flush();
          summary.stopped = {
            line: error.line,
            code: error.code,
            message: `${error.message}; save the feed as UTF-8 and resend it from line ${error.line}`,
          };
        } catch (flushError) {
          if (!(flushError instanceof BusUnavailableError)) throw flushError;
          summary.stopped = {
            line,
            code: 'BROKER_UNAVAILABLE',
            message: 'the message broker became unavailable; resend the feed from this line',
          };
        }
      } else if (
        (error as { code?: string }).code?.startsWith('CSV_') ||
        /maximum buffer/i.test((error as Error).message)
      ) {
        summary.stopped = {
          line,
          code: 'FEED_MALFORMED',
          message: `the feed could not be parsed: ${(error as Error).message.slice(0, 200)}`,
        };
      } else {
        throw error;
      }
    }
    return summary;
  }
}
