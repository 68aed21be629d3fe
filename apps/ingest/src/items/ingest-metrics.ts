import { Inject, Injectable } from '@nestjs/common';
import { METRICS_REGISTRY } from '@catalens/observability';
import { Counter, Histogram, type Registry } from 'prom-client';

export type IngestRoute = 'items' | 'upload' | 'feed';

const SECONDS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** What an operator watches on the front door: outcomes, bytes, and where time goes. */
@Injectable()
export class IngestMetrics {
  readonly items: Counter<'route' | 'outcome' | 'code'>;
  readonly bytesIn: Counter<'route'>;
  readonly fetchSeconds: Histogram;
  readonly normalizeSeconds: Histogram;
  readonly produceSeconds: Histogram;

  constructor(@Inject(METRICS_REGISTRY) registry: Registry) {
    this.items = new Counter({
      name: 'catalens_ingest_items_total',
      help: 'Items by route and outcome (accepted, unchanged, rejected); rejected ones by error code',
      labelNames: ['route', 'outcome', 'code'],
      registers: [registry],
    });
    this.bytesIn = new Counter({
      name: 'catalens_ingest_image_bytes_total',
      help: 'Image bytes received (uploaded, base64 or fetched) before normalization',
      labelNames: ['route'],
      registers: [registry],
    });
    this.fetchSeconds = new Histogram({
      name: 'catalens_ingest_fetch_seconds',
      help: 'Image URL download time',
      buckets: SECONDS,
      registers: [registry],
    });
    this.normalizeSeconds = new Histogram({
      name: 'catalens_ingest_normalize_seconds',
      help: 'Image normalization time (decode, orient, resize, encode, hash)',
      buckets: SECONDS,
      registers: [registry],
    });
    this.produceSeconds = new Histogram({
      name: 'catalens_ingest_produce_seconds',
      help: 'Time until Kafka acknowledged one request batch',
      buckets: SECONDS,
      registers: [registry],
    });
  }
}
