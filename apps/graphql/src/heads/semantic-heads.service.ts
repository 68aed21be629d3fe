import { SemanticHeadRepository } from '@catalens/db';
import {
  ActiveHeads,
  HEAD_CACHE_TTL_MS,
  NotEnoughFeedbackError,
  TenantHeadTrainer,
  tenantHeadId,
  type HeadReport,
  type TenantSpaces,
} from '@catalens/learning';
import { VECTOR_STORE, type VectorStore } from '@catalens/vector-store';
import { selectBackend, type Tf } from '@catalens/vision';
import { ItemIndexRepository } from '@catalens/db';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { apiError } from '../common/api-errors';
import { GRAPHQL_CONFIG, type GraphqlConfig } from '../config';
import { TenantReindexService } from '../reindex/tenant-reindex.service';
import { VocabularyService } from '../vocabulary/vocabulary.service';

export type TrainingState = 'TRAINING' | 'DONE' | 'FAILED';

export interface TrainingView {
  state: TrainingState;
  startedAt: Date;
  finishedAt: Date | null;
  /** The head it produced (promoted or kept as a candidate). */
  version: number | null;
  decision: HeadReport['decision'] | null;
  error: string | null;
  automatic: boolean;
}

let tfRuntime: Promise<Tf> | undefined;
/** TF.js for training, loaded at the first training (WebAssembly, else plain JS). */
const trainingTf = (): Promise<Tf> =>
  (tfRuntime ??= selectBackend('wasm')
    .catch(() => selectBackend('cpu'))
    .then((r) => r.tf));

/**
 * Per-tenant semantic heads: training from the tenant's feedback (on request, or automatically
 * after SEMANTIC_HEAD_AUTOTRAIN_EVERY tag decisions), promotion when the held-out evaluation
 * says so, and rollback. One training per tenant at a time on this replica.
 */
@Injectable()
export class SemanticHeadsService {
  private readonly logger = new Logger(SemanticHeadsService.name);
  private readonly trainer: TenantHeadTrainer;
  private readonly trainings = new Map<string, TrainingView>();

  constructor(
    @Inject(GRAPHQL_CONFIG) private readonly config: GraphqlConfig,
    @Inject(VECTOR_STORE) store: VectorStore,
    readonly repository: SemanticHeadRepository,
    items: ItemIndexRepository,
    private readonly active: ActiveHeads,
    private readonly vocabularies: VocabularyService,
    private readonly reindex: TenantReindexService,
  ) {
    this.trainer = new TenantHeadTrainer({
      heads: repository,
      items,
      store,
      collection: config.CATALENS_COLLECTION,
      get vectors() {
        return vocabularies.wordVectors;
      },
      tf: trainingTf,
      active,
      tagging: { k: config.EMBEDDER_TAGS_PER_ITEM, threshold: config.EMBEDDER_TAG_THRESHOLD },
      onCatchUp: (tenantId, rewritten, error) => {
        if (error) this.logger.warn(`tenant ${tenantId}: head catch-up pass failed: ${error.message}`);
        else if (rewritten > 0)
          this.logger.log(
            `tenant ${tenantId}: ${rewritten} points written during the head switch re-projected`,
          );
      },
    });
  }

  /** The id of the head serving the tenant: its own (`tenant-v<n>`) or the deployment's. */
  async servingHead(tenantId: string): Promise<string> {
    const own = await this.active.forTenant(tenantId);
    return own ? own.id : this.config.SEMANTIC_HEAD;
  }

  training(tenantId: string): TrainingView | null {
    return this.trainings.get(tenantId) ?? null;
  }

  /** Starts a training in the background; its progress is `training(tenantId)`. */
  start(tenantId: string, automatic = false): TrainingView {
    if (this.trainings.get(tenantId)?.state === 'TRAINING')
      throw apiError(
        'BAD_USER_INPUT',
        'a semantic head of this tenant is already training; follow semanticHeads.training',
      );
    const view: TrainingView = {
      state: 'TRAINING',
      startedAt: new Date(),
      finishedAt: null,
      version: null,
      decision: null,
      error: null,
      automatic,
    };
    this.trainings.set(tenantId, view);
    void this.run(tenantId, view);
    return { ...view };
  }

  private async run(tenantId: string, view: TrainingView): Promise<void> {
    try {
      const { head, report } = await this.trainer.train(tenantId, await this.spaces(tenantId));
      view.version = head.version;
      view.decision = report.decision;
      view.state = 'DONE';
      this.vocabularies.forget(tenantId);
      this.logger.log(
        `tenant ${tenantId}: semantic head v${head.version} ${report.decision} (${report.reason})`,
      );
    } catch (error) {
      view.state = 'FAILED';
      view.error =
        error instanceof NotEnoughFeedbackError
          ? error.message
          : `training stopped: ${(error as Error).message}; train again`;
      if (!(error instanceof NotEnoughFeedbackError))
        this.logger.error(`tenant ${tenantId}: semantic head training failed: ${(error as Error).message}`);
    } finally {
      view.finishedAt = new Date();
    }
  }

  /**
   * Called after the tenant's tag decisions: trains a new head once enough new feedback arrived
   * since the last one. Never throws; the decision itself is already saved.
   */
  async feedbackRecorded(tenantId: string): Promise<void> {
    const every = this.config.SEMANTIC_HEAD_AUTOTRAIN_EVERY;
    if (every === 0 || this.trainings.get(tenantId)?.state === 'TRAINING') return;
    try {
      const since = await this.repository.lastTrainedAt(tenantId);
      if ((await this.repository.feedbackEventsSince(tenantId, since)) < every) return;
      this.start(tenantId, true);
    } catch (error) {
      this.logger.warn(
        `tenant ${tenantId}: automatic head training not started: ${(error as Error).message}`,
      );
    }
  }

  /**
   * Puts one of the tenant's heads back in service (re-projecting its items from their stored
   * visual vectors), or with `version` null the deployment's head (a tenant reindex: the
   * deployment's ConSE head needs the classifier's output, which only re-encoding gives).
   */
  async rollback(
    tenantId: string,
    version: number | null,
  ): Promise<{ recomputed: number; reindexJob: string | null }> {
    if (version === null) {
      await this.repository.deactivate(tenantId);
      this.active.invalidate(tenantId);
      this.vocabularies.forget(tenantId);
      // Every embedder has dropped its copy of the head before the first reindex record exists.
      await new Promise((r) => setTimeout(r, 2 * HEAD_CACHE_TTL_MS));
      const job = await this.reindex.start(tenantId);
      return { recomputed: 0, reindexJob: job.id };
    }
    const head = await this.repository.get(tenantId, version);
    if (!head)
      throw apiError(
        'BAD_USER_INPUT',
        `version: this tenant has no semantic head ${version}; see semanticHeads`,
        'version',
      );
    const recomputed = await this.trainer.activate(tenantId, version, (await this.spaces(tenantId)).plain);
    this.vocabularies.forget(tenantId);
    return { recomputed, reindexJob: null };
  }

  private async spaces(tenantId: string): Promise<TenantSpaces> {
    const own = await this.active.forTenant(tenantId);
    return {
      serving: (await this.vocabularies.resolve(tenantId)).vocabulary,
      servingHead: own ? tenantHeadId(own.version) : this.config.SEMANTIC_HEAD,
      plain: (await this.vocabularies.resolve(tenantId, 'plain')).vocabulary,
    };
  }
}
