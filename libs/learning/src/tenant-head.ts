import type { SemanticHeadRecord, SemanticHeadRepository } from '@catalens/db';
import { DeviseProjector, type Vocabulary, type WordVectors } from '@catalens/semantics';

/** `tenant-v<version>`: what a point's `semanticHead` says when a tenant's own head projected it. */
export const tenantHeadId = (version: number): string => `tenant-v${version}`;

/**
 * A tenant's own head in service: DeViSE over the visual vector, so switching to it needs only
 * the stored visual vectors. Its term space is the word vectors themselves (no anchoring).
 */
export class TenantHead {
  readonly id: string;
  private readonly projector: DeviseProjector;

  constructor(
    readonly record: Pick<
      SemanticHeadRecord,
      'version' | 'kernel' | 'visualDim' | 'semanticDim' | 'visualModel' | 'labels'
    >,
  ) {
    this.id = tenantHeadId(record.version);
    this.projector = new DeviseProjector(this.id, record.kernel, record.visualDim, record.semanticDim);
  }

  get version(): number {
    return this.record.version;
  }

  /** The words it learnt to recognize: they can be its tenant's tags even outside its vocabulary. */
  get labels(): readonly string[] {
    return this.record.labels;
  }

  project(visual: Float32Array): Float32Array {
    return this.projector.project(visual);
  }
}

/**
 * How long a process trusts its copy of a tenant's active head. Short, so that a rollback to the
 * deployment's head can start its reindex after it and every record of that reindex is embedded
 * with the head now in service (one indexed read per tenant per batch costs little).
 */
export const HEAD_CACHE_TTL_MS = 1000;

/**
 * Each tenant's active head (or none), read from the database at most once per `ttlMs`: the
 * embedders and the API see a promotion or rollback within that time without a restart.
 */
export class ActiveHeads {
  private readonly cache = new Map<string, { head: TenantHead | null; at: number }>();

  constructor(
    private readonly heads: Pick<SemanticHeadRepository, 'active'>,
    /**
     * The image model whose visual vectors this process computes (read when a head is loaded);
     * a head trained on another model's vectors is ignored. Null: any.
     */
    private readonly visualModel: () => string | null,
    private readonly ttlMs = HEAD_CACHE_TTL_MS,
  ) {}

  async forTenant(tenantId: string): Promise<TenantHead | null> {
    const cached = this.cache.get(tenantId);
    if (cached && Date.now() - cached.at < this.ttlMs) return cached.head;
    const record = await this.heads.active(tenantId);
    const model = this.visualModel();
    const head = record && (model === null || record.visualModel === model) ? new TenantHead(record) : null;
    this.cache.set(tenantId, { head, at: Date.now() });
    return head;
  }

  /** Forgets the tenant's cached head (this process just promoted or rolled back). */
  invalidate(tenantId: string): void {
    this.cache.delete(tenantId);
  }
}

/**
 * The tenant's vocabulary (at the word vectors) with the words its head learnt added: a word a
 * merchandiser taught ("sweatshirt") becomes a possible tag even where the shipped list lacks it.
 */
export function withHeadWords(
  vocabulary: Vocabulary,
  head: Pick<TenantHead, 'labels'>,
  vectors: WordVectors,
): Vocabulary {
  const add = head.labels.filter((w) => !vocabulary.has(w) && vectors.phrase(w.split(' ')) !== undefined);
  return add.length === 0 ? vocabulary : vocabulary.withOverrides({ add }, vectors);
}
