import { Roles } from '@catalens/db';
import { once } from 'node:events';
import { BusUnavailableError } from '@catalens/bus';
import { Controller, Inject, Post, Req, Res, UseGuards } from '@nestjs/common';
import type { Request, Response } from 'express';
import { ApiKeyGuard, type AuthenticatedRequest } from '../auth/api-key.guard';
import { ApiError } from '../common/api-error';
import { INGEST_CONFIG, type IngestConfig } from '../config';
import { FeedIngestService } from './feed-ingest.service';
import { feedFormatOf } from './feed-records';

@Controller('v1/feeds')
@UseGuards(ApiKeyGuard)
export class FeedsController {
  constructor(
    private readonly feeds: FeedIngestService,
    @Inject(INGEST_CONFIG) private readonly config: IngestConfig,
  ) {}

  /**
   * A catalog feed streamed as NDJSON or CSV (the Content-Type decides). The answer streams too:
   * one NDJSON line per feed line as it is processed, then `{"summary": …}`. If Kafka is down
   * before anything was processed the answer is 503; later, the summary says where it stopped.
   */
  @Post()
  @Roles('ingest')
  async upload(@Req() req: AuthenticatedRequest, @Res() res: Response): Promise<void> {
    const format = feedFormatOf(req.headers['content-type']);
    if (!format) {
      throw new ApiError(415, 'FEED_UNSUPPORTED_TYPE', 'send the feed as application/x-ndjson or text/csv');
    }
    const run = this.feeds.run(req.principal.tenantId, format, req, this.config.INGEST_FEED_MAX_LINES);
    let step = await run.next();
    if (step.done && step.value.stopped?.code === 'BROKER_UNAVAILABLE') {
      // Nothing was processed yet: a plain 503 with Retry-After tells the client to resend later.
      req.destroy();
      throw new BusUnavailableError(step.value.stopped.message);
    }
    res.status(200).type('application/x-ndjson');
    while (!step.done) {
      if (!res.write(`${JSON.stringify(step.value)}\n`)) await once(res, 'drain');
      step = await run.next();
    }
    res.end(`${JSON.stringify({ summary: step.value })}\n`);
    if (!req.readableEnded) discardRest(req);
  }
}

/**
 * What a client sent after a stop is read and thrown away (never buffered), so the connection
 * stays usable for its next request; a body that is still coming after 10 s is cut off.
 * Destroying the request at once closed the keep-alive socket, and the client's next request on
 * it failed with "other side closed".
 */
function discardRest(req: Request): void {
  const cutOff = setTimeout(() => req.destroy(), 10_000);
  cutOff.unref();
  req.once('end', () => clearTimeout(cutOff));
  req.once('close', () => clearTimeout(cutOff));
  req.resume();
}
