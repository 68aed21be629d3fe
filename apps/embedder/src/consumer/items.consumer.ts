import { BUS, type Bus, type Subscription } from '@catalens/bus';
import {
  type BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { EMBEDDER_CONFIG, type EmbedderConfig } from '../config';
import { EmbedderMetrics } from '../metrics/embedder-metrics';
import { EmbeddingRuntime } from '../model/embedding-runtime';
import { ItemIndexingService } from '../pipeline/item-indexing.service';
import { PipelineHealth } from '../pipeline/pipeline-health';

/**
 * The Kafka side of the embedder, kept thin: join the group (retrying until the topic exists),
 * hand each partition batch to ItemIndexingService, pause fetching while the model backlog is
 * full, and on SIGTERM stop fetching, let the in-flight batches finish and leave the group.
 */
@Injectable()
export class ItemsConsumer implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(ItemsConsumer.name);
  private subscription: Subscription | undefined;
  private stopping = false;
  private retryTimer: NodeJS.Timeout | undefined;
  private backpressure: NodeJS.Timeout | undefined;
  private paused = false;

  constructor(
    @Inject(EMBEDDER_CONFIG) private readonly config: EmbedderConfig,
    @Inject(BUS) private readonly bus: Bus,
    private readonly indexing: ItemIndexingService,
    private readonly runtime: EmbeddingRuntime,
    private readonly health: PipelineHealth,
    private readonly metrics: EmbedderMetrics,
  ) {}

  onApplicationBootstrap(): void {
    void this.join(1);
  }

  private async join(attempt: number): Promise<void> {
    if (this.stopping) return;
    try {
      this.subscription = await this.bus.subscribe({
        groupId: this.config.KAFKA_GROUP_ID,
        topics: [this.config.CATALENS_TOPIC_ITEMS],
        fromBeginning: true,
        maxBytesPerPartition: this.config.EMBEDDER_FETCH_MAX_BYTES,
        partitionsConcurrently: this.config.EMBEDDER_PARTITIONS_CONCURRENTLY,
        sessionTimeoutMs: this.config.KAFKA_SESSION_TIMEOUT_MS,
        handleBatch: (batch) => this.indexing.handle(batch),
      });
      if (this.stopping) {
        await this.subscription.stop();
        return;
      }
      this.health.consumerStarted();
      this.watchBacklog();
      this.logger.log(
        `consuming ${this.config.CATALENS_TOPIC_ITEMS} as group ${this.config.KAFKA_GROUP_ID} with model ${this.runtime.modelVersion}`,
      );
    } catch (error) {
      const delay = Math.min(15_000, 500 * 2 ** Math.min(attempt, 5));
      this.health.consumerStopped(`cannot join the consumer group yet: ${(error as Error).message}`);
      this.logger.warn(
        `joining the group failed (attempt ${attempt}), retrying in ${delay} ms: ${(error as Error).message}`,
      );
      this.retryTimer = setTimeout(() => void this.join(attempt + 1), delay);
    }
  }

  /** Pauses fetching above EMBEDDER_MAX_QUEUED_IMAGES waiting images; resumes below half. */
  private watchBacklog(): void {
    const high = this.config.EMBEDDER_MAX_QUEUED_IMAGES;
    this.backpressure = setInterval(() => {
      const queued = this.runtime.queued;
      if (!this.paused && queued >= high) {
        this.paused = true;
        this.subscription?.pause();
        this.metrics.paused.set(1);
      } else if (this.paused && queued <= high / 2) {
        this.paused = false;
        this.subscription?.resume();
        this.metrics.paused.set(0);
      }
    }, 50);
    this.backpressure.unref();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.retryTimer);
    clearInterval(this.backpressure);
    this.health.consumerStopped('shutting down');
    if (this.subscription) {
      this.logger.log('stopping: finishing in-flight batches, committing, leaving the group');
      await this.subscription.stop();
    }
  }
}
