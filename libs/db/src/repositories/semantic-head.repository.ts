import type { Prisma, PrismaClient } from '../generated/prisma/client';

const json = (value: Record<string, unknown>) => value as Prisma.InputJsonObject;

export type SemanticHeadState = 'candidate' | 'active' | 'retired';

/** A tenant's own DeViSE head as stored: its kernel, what it was trained on, and how it did. */
export interface SemanticHeadRecord {
  id: string;
  tenantId: string;
  version: number;
  state: SemanticHeadState;
  visualModel: string;
  visualDim: number;
  semanticDim: number;
  /** Row-major visualDim × semanticDim. */
  kernel: Float32Array;
  labels: string[];
  report: Record<string, unknown>;
  createdAt: Date;
  promotedAt: Date | null;
}

/** What a merchandiser and the feed said about one indexed item: the training data of a head. */
export interface ItemFeedback {
  itemId: string;
  externalId: string;
  /** The feed's category, lower-cased. */
  category: string | null;
  /** Accepted automatic tags and manual tags. */
  accepted: string[];
  /** Rejected automatic tags: words the item is not. */
  rejected: string[];
}

function littleEndian(vector: Float32Array): Uint8Array<ArrayBuffer> {
  const out = Buffer.alloc(vector.length * 4);
  vector.forEach((v, i) => out.writeFloatLE(v, i * 4));
  return new Uint8Array(out);
}

function fromLittleEndian(bytes: Uint8Array): Float32Array {
  const buffer = Buffer.from(bytes);
  const out = new Float32Array(buffer.length / 4);
  for (let i = 0; i < out.length; i++) out[i] = buffer.readFloatLE(i * 4);
  return out;
}

type Row = Awaited<ReturnType<PrismaClient['semanticHead']['findFirstOrThrow']>>;
const toRecord = (row: Row): SemanticHeadRecord => ({
  id: row.id,
  tenantId: row.tenantId,
  version: row.version,
  state: row.state,
  visualModel: row.visualModel,
  visualDim: row.visualDim,
  semanticDim: row.semanticDim,
  kernel: fromLittleEndian(row.kernel),
  labels: row.labels,
  report: row.report as Record<string, unknown>,
  createdAt: row.createdAt,
  promotedAt: row.promotedAt,
});

/** Per-tenant semantic heads, versioned, at most one active; and the feedback they learn from. */
export class SemanticHeadRepository {
  constructor(private readonly prisma: PrismaClient) {}

  /** Stores a new candidate as the tenant's next version. */
  async create(
    tenantId: string,
    head: Pick<
      SemanticHeadRecord,
      'visualModel' | 'visualDim' | 'semanticDim' | 'kernel' | 'labels' | 'report'
    >,
  ): Promise<SemanticHeadRecord> {
    return this.prisma.$transaction(async (tx) => {
      const last = await tx.semanticHead.findFirst({
        where: { tenantId },
        orderBy: { version: 'desc' },
        select: { version: true },
      });
      const row = await tx.semanticHead.create({
        data: {
          tenantId,
          version: (last?.version ?? 0) + 1,
          visualModel: head.visualModel,
          visualDim: head.visualDim,
          semanticDim: head.semanticDim,
          kernel: littleEndian(head.kernel),
          labels: head.labels,
          report: json(head.report),
        },
      });
      return toRecord(row);
    });
  }

  async active(tenantId: string): Promise<SemanticHeadRecord | undefined> {
    const row = await this.prisma.semanticHead.findFirst({ where: { tenantId, state: 'active' } });
    return row ? toRecord(row) : undefined;
  }

  async get(tenantId: string, version: number): Promise<SemanticHeadRecord | undefined> {
    const row = await this.prisma.semanticHead.findUnique({
      where: { tenantId_version: { tenantId, version } },
    });
    return row ? toRecord(row) : undefined;
  }

  /** The tenant's heads, newest first, without their kernels' values read out. */
  async list(tenantId: string, limit = 50): Promise<Omit<SemanticHeadRecord, 'kernel'>[]> {
    const rows = await this.prisma.semanticHead.findMany({
      where: { tenantId },
      orderBy: { version: 'desc' },
      take: limit,
      omit: { kernel: true },
    });
    return rows.map((r) => ({ ...r, report: r.report as Record<string, unknown> }));
  }

  /** Makes `version` the tenant's head in service (the one serving before is retired). */
  async activate(tenantId: string, version: number, report?: Record<string, unknown>): Promise<void> {
    await this.prisma.$transaction(async (tx) => {
      await tx.semanticHead.updateMany({ where: { tenantId, state: 'active' }, data: { state: 'retired' } });
      const { count } = await tx.semanticHead.updateMany({
        where: { tenantId, version },
        data: { state: 'active', promotedAt: new Date(), ...(report ? { report: json(report) } : {}) },
      });
      if (count !== 1) throw new Error(`tenant has no semantic head version ${version}`);
    });
  }

  /** Retires the tenant's active head: the deployment's head serves it again. */
  async deactivate(tenantId: string): Promise<void> {
    await this.prisma.semanticHead.updateMany({
      where: { tenantId, state: 'active' },
      data: { state: 'retired' },
    });
  }

  async updateReport(tenantId: string, version: number, report: Record<string, unknown>): Promise<void> {
    await this.prisma.semanticHead.updateMany({
      where: { tenantId, version },
      data: { report: json(report) },
    });
  }

  /** Created time of the tenant's newest head (trained, promoted or not). */
  async lastTrainedAt(tenantId: string): Promise<Date | undefined> {
    const row = await this.prisma.semanticHead.findFirst({
      where: { tenantId },
      orderBy: { version: 'desc' },
      select: { createdAt: true },
    });
    return row?.createdAt;
  }

  /** Tag decisions (accept, reject, manual add) made since `since`: feedback a new head could learn. */
  async feedbackEventsSince(tenantId: string, since: Date | undefined): Promise<number> {
    return this.prisma.tag.count({
      where: {
        tenantId,
        OR: [{ state: { in: ['accepted', 'rejected'] } }, { source: 'manual' }],
        ...(since ? { updatedAt: { gt: since } } : {}),
      },
    });
  }

  /**
   * The tenant's indexed items that carry a label: a category from the feed, or a decided tag.
   * Manual tags count as accepted; suggestions count for nothing.
   */
  async feedback(tenantId: string): Promise<ItemFeedback[]> {
    const rows = await this.prisma.item.findMany({
      where: {
        tenantId,
        status: 'indexed',
        OR: [{ category: { not: null } }, { tags: { some: { state: { in: ['accepted', 'rejected'] } } } }],
      },
      select: {
        id: true,
        externalId: true,
        category: true,
        tags: { where: { state: { in: ['accepted', 'rejected'] } }, select: { word: true, state: true } },
      },
      orderBy: { id: 'asc' },
    });
    return rows.map((r) => ({
      itemId: r.id,
      externalId: r.externalId,
      category: r.category?.trim().toLowerCase() || null,
      accepted: r.tags.filter((t) => t.state === 'accepted').map((t) => t.word),
      rejected: r.tags.filter((t) => t.state === 'rejected').map((t) => t.word),
    }));
  }
}
