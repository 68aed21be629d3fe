import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { BUS, type Bus, type TopicSpec } from '../bus.port';

export const TOPIC_SPECS = Symbol.for('catalens.TopicSpecs');

/**
 * Creates the app's topics when missing. Runs in the background and retries until the broker
 * answers, so an app can start (and report not-ready) while Kafka is still coming up.
 */
@Injectable()
export class TopicProvisioner implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(TopicProvisioner.name);
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    @Inject(BUS) private readonly bus: Bus,
    @Inject(TOPIC_SPECS) private readonly specs: TopicSpec[],
  ) {}

  onApplicationBootstrap(): void {
    void this.attempt(1);
  }

  private async attempt(n: number): Promise<void> {
    if (this.stopped) return;
    try {
      await this.bus.ensureTopics(this.specs);
      this.logger.log(`topics ready: ${this.specs.map((s) => s.topic).join(', ')}`);
    } catch (error) {
      const delay = Math.min(30_000, 1_000 * 2 ** Math.min(n, 5));
      this.logger.warn(
        `could not ensure topics (attempt ${n}), retrying in ${delay} ms: ${(error as Error).message}`,
      );
      this.timer = setTimeout(() => void this.attempt(n + 1), delay);
    }
  }

  onApplicationShutdown(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }
}
