import { METRICS_REGISTRY } from '@catalens/observability';
import { Inject, Injectable } from '@nestjs/common';
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

const SECONDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/** Everything an operator watches on the embedder (names documented in docs/operations.md). */
@Injectable()
export class EmbedderMetrics {
  readonly batchSize: Histogram;
  readonly queueWaitSeconds: Histogram;
  readonly preprocessSeconds: Histogram;
  readonly inferSeconds: Histogram;
  readonly upsertSeconds: Histogram;
  readonly ingestToIndexedSeconds: Histogram;
  readonly records: Counter<'outcome'>;
  readonly dlq: Counter<'error'>;
  readonly retries: Counter<'stage'>;
  readonly consumerLag: Gauge<'topic' | 'partition'>;
  readonly paused: Gauge;
  readonly backend: Gauge<'backend' | 'model_version'>;

  constructor(@Inject(METRICS_REGISTRY) registry: Registry) {
    const registers = [registry];
    this.batchSize = new Histogram({
      name: 'catalens_embedder_batch_size',
      help: 'Images per model batch',
      buckets: [1, 2, 4, 8, 16, 32, 64],
      registers,
    });
    this.queueWaitSeconds = new Histogram({
      name: 'catalens_embedder_queue_wait_seconds',
      help: 'How long the oldest image of a batch waited for the model',
      buckets: SECONDS,
      registers,
    });
    this.preprocessSeconds = new Histogram({
      name: 'catalens_embedder_preprocess_seconds',
      help: 'Decode and resize time per encoder request',
      buckets: SECONDS,
      registers,
    });
    this.inferSeconds = new Histogram({
      name: 'catalens_embedder_infer_seconds',
      help: 'Model time per encoder request',
      buckets: SECONDS,
      registers,
    });
    this.upsertSeconds = new Histogram({
      name: 'catalens_embedder_upsert_seconds',
      help: 'Vector store upsert time per partition batch (wait: true)',
      buckets: SECONDS,
      registers,
    });
    this.ingestToIndexedSeconds = new Histogram({
      name: 'catalens_embedder_ingest_to_indexed_seconds',
      help: 'From the ingest produce time to indexed (store and database written)',
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 300, 1800],
      registers,
    });
    this.records = new Counter({
      name: 'catalens_embedder_records_total',
      help: 'Consumed item records by outcome: indexed, refreshed, skipped, dead_lettered',
      labelNames: ['outcome'],
      registers,
    });
    this.dlq = new Counter({
      name: 'catalens_embedder_dlq_total',
      help: 'Records sent to the dead-letter topic, by error class',
      labelNames: ['error'],
      registers,
    });
    this.retries = new Counter({
      name: 'catalens_embedder_transient_retries_total',
      help: 'Retries of an unavailable dependency, by stage (store, database, broker, encoder)',
      labelNames: ['stage'],
      registers,
    });
    this.consumerLag = new Gauge({
      name: 'catalens_embedder_consumer_lag',
      help: 'Records behind the partition end after the last handled batch',
      labelNames: ['topic', 'partition'],
      registers,
    });
    this.paused = new Gauge({
      name: 'catalens_embedder_consumer_paused',
      help: '1 while fetching is paused because the model backlog is full',
      registers,
    });
    this.backend = new Gauge({
      name: 'catalens_embedder_backend_info',
      help: 'The TF.js backend and model version in use (value 1)',
      labelNames: ['backend', 'model_version'],
      registers,
    });
  }
}
