import { Injectable } from '@nestjs/common';
import type { Stage } from './transient-retry';

/**
 * Whether the pipeline is making progress: false while a dependency is being waited out, or
 * before the consumer joined its group. Exposed as the `pipeline` readiness check.
 */
@Injectable()
export class PipelineHealth {
  private readonly failing = new Map<Stage, string>();
  private consuming = false;
  private consumerProblem = 'the consumer has not joined its group yet';

  stageFailing(stage: Stage, reason: string): void {
    this.failing.set(stage, reason);
  }
  stageRecovered(stage: Stage): void {
    this.failing.delete(stage);
  }
  consumerStarted(): void {
    this.consuming = true;
  }
  consumerStopped(reason: string): void {
    this.consuming = false;
    this.consumerProblem = reason;
  }

  check(): Promise<void> {
    if (!this.consuming) return Promise.reject(new Error(this.consumerProblem));
    const problems = [...this.failing].map(([stage, reason]) => `${stage}: ${reason}`);
    if (problems.length > 0) return Promise.reject(new Error(`retrying ${problems.join('; ')}`));
    return Promise.resolve();
  }
}
