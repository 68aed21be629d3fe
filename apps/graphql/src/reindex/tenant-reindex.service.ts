import { BUS, type Bus } from '@catalens/bus';
import { ItemIndexRepository } from '@catalens/db';
import { reindexRecord } from '@catalens/indexing';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { apiError } from '../common/api-errors';
import { GRAPHQL_CONFIG, type GraphqlConfig } from '../config';

export type ReindexState = 'PUBLISHING' | 'INDEXING' | 'DONE' | 'FAILED';

export interface ReindexJobView {
  id: string;
  startedAt: Date;
  total: number;
  /** Records produced so far; null when another replica runs the job's publishing. */
  published: number | null;
  indexed: number;
  failed: number;
  state: ReindexState;
  error: string | null;
}

/** A job id carries what progress is computed from, so any replica can answer for it. */
const encodeJob = (startedAt: Date, total: number) =>
  Buffer.from(`r${startedAt.getTime()}.${total}`).toString('base64url');
function decodeJob(id: string): { startedAt: Date; total: number } {
  const match = /^r(\d{13})\.(\d{1,9})$/.exec(
    /^[A-Za-z0-9_-]{1,40}$/.test(id) ? Buffer.from(id, 'base64url').toString() : '',
  );
  if (!match)
    throw apiError('BAD_USER_INPUT', 'id: not a reindex job id; pass the id `reindex` returned', 'id');
  return { startedAt: new Date(Number(match[1])), total: Number(match[2]) };
}

const PAGE = 100;

/**
 * Re-embeds one tenant's catalog with the serving model and the tenant's current vocabulary and
 * tag decisions (after a vocabulary change, say). Its indexed items become `queued` (and stay
 * searchable), are re-published from their stored images, and count as done once indexed again.
 * Moving every tenant to another model version is the operator's `catalens reindex --to`.
 */
@Injectable()
export class TenantReindexService {
  private readonly logger = new Logger(TenantReindexService.name);
  /** Publishing state of the jobs this replica runs. */
  private readonly local = new Map<string, { published: number; error: string | null; done: boolean }>();
  private readonly running = new Set<string>();

  constructor(
    @Inject(GRAPHQL_CONFIG) private readonly config: GraphqlConfig,
    @Inject(BUS) private readonly bus: Bus,
    private readonly items: ItemIndexRepository,
  ) {}

  async start(tenantId: string): Promise<ReindexJobView> {
    if (this.running.has(tenantId))
      throw apiError(
        'BAD_USER_INPUT',
        'a reindex of this catalog is already publishing; follow its progress',
      );
    const startedAt = new Date();
    const total = await this.items.queueTenantForReindex(tenantId, startedAt);
    const id = encodeJob(startedAt, total);
    const job = { published: 0, error: null as string | null, done: false };
    this.local.set(id, job);
    // Only the latest jobs' publishing counts are kept; older ones report progress from the database.
    if (this.local.size > 100) this.local.delete(this.local.keys().next().value!);
    this.running.add(tenantId);
    void this.publish(tenantId, job)
      .catch((error: Error) => {
        job.error = `publishing stopped: ${error.message}; run reindex again to resume`;
        this.logger.error(`reindex of tenant ${tenantId}: ${job.error}`);
      })
      .finally(() => {
        job.done = true;
        this.running.delete(tenantId);
      });
    return this.progress(tenantId, id);
  }

  private async publish(tenantId: string, job: { published: number }): Promise<void> {
    let after: string | null = null;
    for (;;) {
      const page = await this.items.pageForReindex(after, PAGE, tenantId);
      if (page.length === 0) return;
      await this.bus.publish(
        this.config.CATALENS_TOPIC_ITEMS,
        page.map((item) => reindexRecord(item)),
      );
      job.published += page.length;
      after = page[page.length - 1]!.id;
    }
  }

  async progress(tenantId: string, id: string): Promise<ReindexJobView> {
    const { startedAt, total } = decodeJob(id);
    const counts = await this.items.reindexProgress(tenantId, startedAt);
    const job = this.local.get(id);
    const finished = counts.pending === 0 || counts.indexed + counts.failed >= total;
    const state: ReindexState = job?.error
      ? 'FAILED'
      : job && !job.done
        ? 'PUBLISHING'
        : finished
          ? 'DONE'
          : 'INDEXING';
    return {
      id,
      startedAt,
      total,
      published: job ? job.published : null,
      indexed: Math.min(counts.indexed, total),
      failed: counts.failed,
      state,
      error: job?.error ?? null,
    };
  }
}
