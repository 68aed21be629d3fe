import { pointId } from '@catalens/contracts';
import type { ItemIndexRepository, SemanticHeadRecord, SemanticHeadRepository } from '@catalens/db';
import { SEMANTIC, VISUAL } from '@catalens/indexing';
import {
  Tagger,
  TextQueryEncoder,
  cosine,
  normalize,
  type Vocabulary,
  type WordVectors,
} from '@catalens/semantics';
import type { StoredPoint, VectorStore } from '@catalens/vector-store';
import { trainDeviseHead, type Tf } from '@catalens/vision';
import { feedbackExamples, type FeedbackExample } from './feedback-examples';
import { TenantHead, tenantHeadId, withHeadWords, type ActiveHeads } from './tenant-head';

/** Held-out scores of one head on a tenant's feedback (see `scoreHead`). */
export interface HeadScores {
  head: string;
  /** Share of held-out items whose first tag is one of their words. */
  tagP1: number;
  /** Share of held-out items with one of their words among the first five tags. */
  tagP5: number;
  /**
   * Text → image over the held-out slice: per label, the label as the query, the share of its
   * items among the first min(10, their count) results; averaged over labels.
   */
  textR10: number;
  n: number;
}

export interface HeadReport {
  trainedAt: string;
  trainItems: number;
  trainExamples: number;
  heldOutItems: number;
  labels: string[];
  unknownWords: string[];
  epochs: number;
  finalLoss: number;
  serving: HeadScores;
  candidate: HeadScores;
  decision: 'promoted' | 'kept';
  reason: string;
  /** Points re-projected at promotion. */
  recomputed?: number;
}

/** The term spaces a tenant is tagged and searched in, resolved by the caller. */
export interface TenantSpaces {
  /** Its vocabulary as the head serving it now places terms (ConSE's anchors, or plain). */
  serving: Vocabulary;
  /** The id of the head serving it now (the deployment's, or `tenant-v<n>`). */
  servingHead: string;
  /** Its vocabulary at the word vectors: where a tenant head's vectors live. */
  plain: Vocabulary;
}

export interface TrainingOptions {
  epochs?: number;
  heldOutShare?: number;
  /** Fewer labelled items than this and training is refused (default 12). */
  minItems?: number;
  /** Fewer held-out items than this and a candidate is never promoted (default 4). */
  minHeldOut?: number;
}

export class NotEnoughFeedbackError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NotEnoughFeedbackError';
  }
}

export interface TenantHeadTrainerDeps {
  heads: SemanticHeadRepository;
  items: ItemIndexRepository;
  store: VectorStore;
  /** The serving collection (alias). */
  collection: string;
  vectors: WordVectors;
  tf: () => Promise<Tf>;
  active: ActiveHeads;
  tagging: { k: number; threshold: number };
  /**
   * After a promotion, when to look again for points an embedder wrote with the previous head
   * (a batch in flight during the switch) and re-project them (default 60 s; 0: never).
   */
  catchUpMs?: number;
  onCatchUp?: (tenantId: string, rewritten: number, error?: Error) => void;
}

const CHUNK = 256;

/**
 * Trains a tenant's own DeViSE head from its feedback (accepted, manual and rejected tags, feed
 * categories), judges it on a held-out slice of that feedback against the head serving the tenant,
 * and promotes it only when it is not worse on tagP5 and textR10. Promotion re-projects the
 * tenant's stored visual vectors (no image is encoded again) and rewrites its points in place, so
 * search never has a gap.
 */
export class TenantHeadTrainer {
  constructor(private readonly deps: TenantHeadTrainerDeps) {}

  async train(
    tenantId: string,
    spaces: TenantSpaces,
    options: TrainingOptions = {},
  ): Promise<{ head: SemanticHeadRecord; report: HeadReport }> {
    const { vectors } = this.deps;
    const minItems = options.minItems ?? 12;
    const known = (w: string) => vectors.phrase(w.split(' ')) !== undefined;
    const { examples, unknownWords } = feedbackExamples(
      await this.deps.heads.feedback(tenantId),
      known,
      options.heldOutShare ?? 0.25,
    );
    const points = await this.points(
      tenantId,
      examples.map((e) => e.itemId),
    );
    const usable = examples.filter((e) => points.has(e.itemId));
    const train = usable.filter((e) => !e.heldOut);
    const heldOut = usable.filter((e) => e.heldOut);
    const trainLabels = new Set(train.flatMap((e) => e.positives));
    if (train.length < minItems || trainLabels.size < 2)
      throw new NotEnoughFeedbackError(
        `a tenant head needs feedback on at least ${minItems} indexed items with at least 2 different words outside the held-out slice; this tenant has ${train.length} items and ${trainLabels.size} words: accept, add or reject tags, or ingest items with a category`,
      );

    const epochs = options.epochs ?? 60;
    const { trained, positiveWords, rows } = await fitTenantHead(
      await this.deps.tf(),
      train.map((e) => ({ ...e, visual: points.get(e.itemId)!.visual })),
      spaces.plain,
      vectors,
      epochs,
    );

    const visualModel = points.values().next().value!.visualModel;
    const candidate = new TenantHead({
      version: 0,
      kernel: trained.kernel,
      visualDim: trained.visualDim,
      semanticDim: trained.semanticDim,
      visualModel,
      labels: positiveWords,
    });
    const serving = scoreHead(
      spaces.servingHead,
      heldOut,
      (e) => points.get(e.itemId)!.semantic,
      spaces.serving,
      vectors,
    );
    const scored = scoreHead(
      'candidate',
      heldOut,
      (e) => candidate.project(points.get(e.itemId)!.visual),
      withHeadWords(spaces.plain, candidate, vectors),
      vectors,
    );
    const minHeldOut = options.minHeldOut ?? 4;
    const better = scored.tagP5 >= serving.tagP5 && scored.textR10 >= serving.textR10;
    const reason =
      heldOut.length < minHeldOut
        ? `only ${heldOut.length} held-out items (at least ${minHeldOut} are needed to judge a head): kept the head in service`
        : better
          ? `not worse than ${serving.head} on tagP5 (${fmt(scored.tagP5)} vs ${fmt(serving.tagP5)}) and textR10 (${fmt(scored.textR10)} vs ${fmt(serving.textR10)})`
          : `worse than ${serving.head} on ${scored.tagP5 < serving.tagP5 ? `tagP5 (${fmt(scored.tagP5)} vs ${fmt(serving.tagP5)})` : `textR10 (${fmt(scored.textR10)} vs ${fmt(serving.textR10)})`}: kept the head in service`;
    const promote = heldOut.length >= minHeldOut && better;
    const report: HeadReport = {
      trainedAt: new Date().toISOString(),
      trainItems: train.length,
      trainExamples: rows,
      heldOutItems: heldOut.length,
      labels: positiveWords,
      unknownWords,
      epochs,
      finalLoss: trained.finalLoss,
      serving,
      candidate: scored,
      decision: promote ? 'promoted' : 'kept',
      reason,
    };
    const head = await this.deps.heads.create(tenantId, {
      visualModel,
      visualDim: trained.visualDim,
      semanticDim: trained.semanticDim,
      kernel: trained.kernel,
      labels: positiveWords,
      report: { ...report, candidate: { ...scored, head: tenantHeadId(0) } },
    });
    report.candidate.head = tenantHeadId(head.version);
    if (promote) report.recomputed = await this.activate(tenantId, head.version, spaces.plain, report);
    else await this.deps.heads.updateReport(tenantId, head.version, { ...report });
    return { head: { ...head, state: promote ? 'active' : 'candidate' }, report };
  }

  /**
   * Puts `version` in service for the tenant: marks it active, then re-projects every point of the
   * tenant from its stored visual vector and re-tags it (decisions kept). Returns the points
   * rewritten.
   */
  async activate(tenantId: string, version: number, plain: Vocabulary, report?: HeadReport): Promise<number> {
    const record = await this.deps.heads.get(tenantId, version);
    if (!record) throw new Error(`tenant has no semantic head version ${version}`);
    await this.deps.heads.activate(tenantId, version, report ? { ...report } : undefined);
    this.deps.active.invalidate(tenantId);
    const head = new TenantHead(record);
    const recomputed = await this.recompute(tenantId, head, withHeadWords(plain, head, this.deps.vectors));
    if (report) await this.deps.heads.updateReport(tenantId, version, { ...report, recomputed });
    const catchUp = this.deps.catchUpMs ?? 60_000;
    if (catchUp > 0)
      setTimeout(() => {
        void this.catchUp(tenantId, head, plain).then(
          (n) => this.deps.onCatchUp?.(tenantId, n),
          (error: Error) => this.deps.onCatchUp?.(tenantId, 0, error),
        );
      }, catchUp).unref();
    return recomputed;
  }

  /** Re-projects the points still written by another head, while `head` is the one in service. */
  private async catchUp(tenantId: string, head: TenantHead, plain: Vocabulary): Promise<number> {
    if ((await this.deps.heads.active(tenantId))?.version !== head.version) return 0;
    return this.recompute(tenantId, head, plain, { onlyStale: true });
  }

  /** Re-projects and re-tags every point of the tenant with `head`, in place. */
  async recompute(
    tenantId: string,
    head: TenantHead,
    plain: Vocabulary,
    { onlyStale = false } = {},
  ): Promise<number> {
    const { store, collection } = this.deps;
    const tagger = new Tagger(plain, this.deps.tagging);
    let cursor: string | undefined;
    let written = 0;
    do {
      const page = await store.scroll(collection, {
        filter: { must: [{ key: 'tenantId', match: tenantId }] },
        limit: CHUNK,
        withVectors: true,
        ...(cursor ? { cursor } : {}),
      });
      const points = page.points.filter(
        (p) => p.vectors?.[VISUAL] && !(onlyStale && p.payload.semanticHead === head.id),
      );
      const curated = await this.deps.items.curatedTags(points.map((p) => String(p.payload.itemId)));
      const updates = points.map((p) => {
        const visual = Float32Array.from(p.vectors![VISUAL]!);
        const semantic = head.project(visual);
        const mine = curated.get(String(p.payload.itemId))!;
        const tags = tagger.tag(semantic, { exclude: mine.rejected });
        return {
          point: {
            id: p.id,
            vectors: { [VISUAL]: visual, [SEMANTIC]: semantic },
            payload: {
              ...p.payload,
              tags: [...new Set([...tags.map((t) => t.term), ...mine.kept])],
              semanticHead: head.id,
            },
          },
          row: {
            itemId: String(p.payload.itemId),
            contentHash: String(p.payload.contentHash),
            modelVersion: String(p.payload.modelVersion),
            tags: tags.map((t) => ({ word: t.term, score: t.score })),
          },
        };
      });
      if (updates.length > 0) {
        await store.upsert(
          collection,
          updates.map((u) => u.point),
          { wait: true },
        );
        await this.deps.items.replaceSuggestions(updates.map((u) => u.row));
      }
      written += updates.length;
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    return written;
  }

  /** Stored vectors of the tenant's items, by item id. */
  private async points(
    tenantId: string,
    itemIds: readonly string[],
  ): Promise<Map<string, { visual: Float32Array; semantic: Float32Array; visualModel: string }>> {
    const out = new Map<string, { visual: Float32Array; semantic: Float32Array; visualModel: string }>();
    for (let i = 0; i < itemIds.length; i += CHUNK) {
      const ids = itemIds.slice(i, i + CHUNK);
      const stored: StoredPoint[] = await this.deps.store.retrieve(
        this.deps.collection,
        ids.map((id) => pointId(tenantId, id)),
        { withVectors: true },
      );
      for (const p of stored) {
        if (p.payload.tenantId !== tenantId || !p.vectors?.[VISUAL] || !p.vectors[SEMANTIC]) continue;
        out.set(String(p.payload.itemId), {
          visual: Float32Array.from(p.vectors[VISUAL]),
          semantic: Float32Array.from(p.vectors[SEMANTIC]),
          visualModel: String(p.payload.modelVersion).split('+')[0]!,
        });
      }
    }
    return out;
  }
}

const fmt = (x: number) => x.toFixed(3);

/** A head's scores on held-out examples (see HeadScores), from each example's semantic vector. */
export function scoreHead(
  head: string,
  examples: readonly FeedbackExample[],
  semanticOf: (e: FeedbackExample) => Float32Array,
  vocabulary: Vocabulary,
  vectors: WordVectors,
): HeadScores {
  const n = examples.length;
  if (n === 0) return { head, tagP1: 0, tagP5: 0, textR10: 0, n };
  const tagger = new Tagger(vocabulary, { k: 5, threshold: -1 });
  const semantic = examples.map(semanticOf);
  let p1 = 0;
  let p5 = 0;
  examples.forEach((e, i) => {
    const tags = tagger.tag(semantic[i]!).map((t) => t.term);
    if (e.positives.includes(tags[0] ?? '')) p1++;
    if (tags.some((t) => e.positives.includes(t))) p5++;
  });
  const encoder = new TextQueryEncoder(vectors, vocabulary);
  const labels = [...new Set(examples.map((e) => e.label))].sort();
  let recall = 0;
  for (const label of labels) {
    const query = encoder.encode(label).vector;
    const relevant = examples.filter((e) => e.positives.includes(label)).length;
    if (!query) continue;
    const cutoff = Math.min(10, relevant);
    const top = semantic
      .map((s, i) => [cosine(query, s), i] as const)
      .sort((a, b) => b[0] - a[0])
      .slice(0, cutoff);
    recall += top.filter(([, i]) => examples[i]!.positives.includes(label)).length / cutoff;
  }
  return { head, tagP1: p1 / n, tagP5: p5 / n, textR10: recall / labels.length, n };
}

/**
 * Fits a tenant head (DeViSE, hinge rank loss) on labelled visual vectors: one row per
 * (item, positive word), the item's other positives not counted as negatives, its rejected words
 * as hard negatives, and every vocabulary term as an ordinary negative to keep away from. The
 * targets are the training rows' words and the
 * vocabulary's terms at their word vectors. Only training rows shape it: a held-out item's words
 * count only where they are vocabulary terms anyway.
 */
export async function fitTenantHead(
  tf: Tf,
  train: readonly (Pick<FeedbackExample, 'positives' | 'negatives'> & { visual: Float32Array })[],
  plain: Vocabulary,
  vectors: WordVectors,
  epochs: number,
): Promise<{
  trained: Awaited<ReturnType<typeof trainDeviseHead>>;
  /** The words it learnt to recognize (the training rows' positives). */
  positiveWords: string[];
  rows: number;
}> {
  const targetWords = [...new Set(train.flatMap((e) => [...e.positives, ...e.negatives]))].sort();
  const vocabularyTerms = plain.terms.filter((t) => !targetWords.includes(t.term));
  const labels = [...targetWords, ...vocabularyTerms.map((t) => t.term)];
  const labelVectors = [
    ...targetWords.map((w) => normalize(Float32Array.from(vectors.phrase(w.split(' '))!))),
    ...vocabularyTerms.map((t) => t.vector),
  ];
  const index = new Map(labels.map((l, i) => [l, i]));
  const rows = train.flatMap((e) =>
    e.positives.map((p) => ({
      visual: e.visual,
      label: index.get(p)!,
      alsoPositive: e.positives.filter((q) => q !== p).map((q) => index.get(q)!),
      hardNegatives: e.negatives.map((q) => index.get(q)!),
    })),
  );
  const trained = await trainDeviseHead(
    tf,
    {
      visual: rows.map((r) => r.visual),
      labels: rows.map((r) => r.label),
      labelVectors,
      alsoPositive: rows.map((r) => r.alsoPositive),
      hardNegatives: rows.map((r) => r.hardNegatives),
    },
    { epochs, batchSize: 32 },
  );
  return {
    trained,
    positiveWords: [...new Set(train.flatMap((e) => e.positives))].sort(),
    rows: rows.length,
  };
}
