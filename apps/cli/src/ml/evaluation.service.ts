import { readFileSync } from 'node:fs';
import {
  evaluateRetrieval,
  loadWordVectors,
  PRODUCTS,
  REAL_ESTATE,
  Tagger,
  TextQueryEncoder,
  Vocabulary,
  type EvaluatedImage,
  type EvaluationScores,
  type LabelScores,
  type TagConfusion,
  type WordVectors,
} from '@catalens/semantics';
import {
  SemanticHeadError,
  conseHead,
  createLocalEncoder,
  deviseHead,
  loadLabelConcepts,
  type EncodedImage,
  type EngineName,
  type LocalImageEncoder,
  type SemanticHead,
  selectBackend,
} from '@catalens/vision';
import { TenantHead, fitTenantHead } from '@catalens/learning';
import { CliUsageError } from '../admin/tenant-admin.service';
import type { LabelledFile } from './labelled-dataset';

export interface EvaluationRequest {
  images: readonly LabelledFile[];
  /** label → words that count as a correct tag and form its text query; default: the label itself. */
  labelWords?: Readonly<Record<string, readonly string[]>>;
  modelDir?: string;
  /** Inference engine (default onnx); the figures must not depend on it (issue 24). */
  engine?: EngineName;
  /** A head from `catalens train devise`; without it, zero-shot ConSE over the model's classes. */
  deviseDir?: string;
  /**
   * Training-split photos taken as a tenant's feedback (each accepted as its label's words): a
   * tenant head is fitted on them exactly as `trainSemanticHead` fits one, and evaluated.
   */
  feedback?: readonly LabelledFile[];
  vocabulary: 'products' | 'real-estate';
  glovePath?: string;
  onProgress?: (done: number, total: number) => void;
  /** Label words or labels left out of the run, and why. */
  onWarning?: (message: string) => void;
}

export interface EvaluationResult {
  overall: EvaluationScores;
  perLabel: LabelScores[];
  confusion: TagConfusion;
  modelId: string;
  projectorId: string;
  backend: string;
  vocabulary: string;
  wordVectors: string;
  seconds: number;
}

const BATCH = 16;

/** Embeds labelled images with the shipped pipeline (encoder → ConSE → tags) and scores it. */
export async function evaluatePipeline(request: EvaluationRequest): Promise<EvaluationResult> {
  const started = performance.now();
  const { vectors } = await loadWordVectors(request.glovePath);
  const words = new Map<string, readonly string[]>();
  for (const label of new Set(request.images.map((i) => i.label))) {
    const given = request.labelWords?.[label];
    words.set(
      label,
      (given ?? [label]).map((w) => w.toLowerCase()),
    );
  }
  // A word the vectors lack cannot be a tag: it is left out with a warning, not the whole run.
  const known = (w: string): boolean => w.split(' ').every((p) => vectors.has(p));
  const skipped = [...words.values()].flat().filter((w) => !known(w));
  if (skipped.length) {
    request.onWarning?.(
      `label words not in the word vectors, left out: ${skipped.join(', ')}; map labels to known words with --label-words`,
    );
  }
  for (const [label, w] of words) words.set(label, w.filter(known));
  const wordless = [...words].filter(([, w]) => w.length === 0).map(([label]) => label);
  if (wordless.length === words.size) {
    throw new CliUsageError(
      `no label has a word the word vectors know (${[...words.keys()].join(', ')}); map labels to known words with --label-words`,
    );
  }
  if (wordless.length) {
    request.onWarning?.(`labels with no known word, their images left out: ${wordless.join(', ')}`);
  }
  const images = request.images.filter((i) => !wordless.includes(i.label));
  const base = request.vocabulary === 'products' ? PRODUCTS : REAL_ESTATE;
  const { encoder, fallback } = await createLocalEncoder({
    ...(request.modelDir ? { modelDir: request.modelDir } : {}),
    engine: request.engine ?? 'onnx',
  });
  if (fallback) request.onWarning?.(fallback);
  try {
    // Label words join the vocabulary so that a correct tag is possible at all; terms sit where
    // the head puts them, as the embedder's tagger and the GraphQL text search have them.
    const plain = Vocabulary.build(
      { ...base, terms: [...base.terms, ...[...words.values()].flat()] },
      vectors,
    );
    const projector = request.feedback
      ? await feedbackHead(request.feedback, words, encoder, plain, vectors)
      : await headFor(request.deviseDir, request.modelDir, encoder, vectors);
    const vocabulary = projector.anchors ? plain.anchoredIn(projector.anchors) : plain;
    const tagger = new Tagger(vocabulary, { k: 5, threshold: -1 });
    const queries = new TextQueryEncoder(vectors, vocabulary);
    const evaluated: EvaluatedImage[] = [];
    for (let start = 0; start < images.length; start += BATCH) {
      const batch = images.slice(start, start + BATCH);
      const bytes = batch.map((i) => readFileSync(i.file));
      const encoded: EncodedImage[] = projector.needsProbabilities
        ? await encoder.encodeWithProbabilities(bytes)
        : (await encoder.encode(bytes)).map((visual) => ({ visual }));
      encoded.forEach((e, i) => {
        const semantic = projector.project(e);
        evaluated.push({
          label: batch[i]!.label,
          visual: e.visual,
          semantic,
          tags: tagger.tag(semantic).map((t) => t.term),
        });
      });
      request.onProgress?.(evaluated.length, images.length);
    }
    const labelQueries = new Map([...words].map(([label, w]) => [label, queries.encode(w.join(' ')).vector]));
    const scores = evaluateRetrieval(evaluated, words, labelQueries);
    return {
      ...scores,
      modelId: encoder.id,
      projectorId: projector.id,
      backend: encoder.backend,
      vocabulary: request.vocabulary,
      wordVectors: vectors.source,
      seconds: (performance.now() - started) / 1000,
    };
  } finally {
    await encoder.close();
  }
}

/**
 * A tenant head fitted on training-split photos as if a merchandiser had accepted each photo's
 * label words (libs/learning fitTenantHead, as trainSemanticHead does), over the visual vectors.
 */
async function feedbackHead(
  photos: readonly LabelledFile[],
  words: ReadonlyMap<string, readonly string[]>,
  encoder: LocalImageEncoder,
  plain: Vocabulary,
  vectors: WordVectors,
): Promise<SemanticHead> {
  const usable = photos.filter((p) => (words.get(p.label) ?? []).length > 0);
  const visual: Float32Array[] = [];
  for (let start = 0; start < usable.length; start += BATCH)
    visual.push(
      ...(await encoder.encode(usable.slice(start, start + BATCH).map((p) => readFileSync(p.file)))),
    );
  const { tf } = await selectBackend('wasm');
  const { trained, positiveWords } = await fitTenantHead(
    tf,
    usable.map((p, i) => ({ positives: [...words.get(p.label)!], negatives: [], visual: visual[i]! })),
    plain,
    vectors,
    60,
  );
  const head = new TenantHead({ ...trained, version: 0, visualModel: encoder.id, labels: positiveWords });
  return {
    id: `tenant-feedback-${usable.length}`,
    dim: trained.semanticDim,
    needsProbabilities: false,
    project: (encoded) => head.project(encoded.visual),
  };
}

/** The semantic head under evaluation; a wrong pairing is a usage error, not a crash. */
async function headFor(
  deviseDir: string | undefined,
  modelDir: string | undefined,
  encoder: LocalImageEncoder,
  vectors: WordVectors,
): Promise<SemanticHead> {
  try {
    return deviseDir
      ? deviseHead(deviseDir, encoder)
      : conseHead(encoder, vectors, 10, await loadLabelConcepts(modelDir));
  } catch (error) {
    if (error instanceof SemanticHeadError)
      throw new CliUsageError(`${error.message} (--devise <head>, --model <dir>)`);
    throw error;
  }
}

export function evaluationReport(result: EvaluationResult, title: string, date: string): string {
  const f = (x: number): string => x.toFixed(3);
  return [
    `# Evaluation — ${title}`,
    '',
    `${date} · model \`${result.modelId}\` · projector \`${result.projectorId}\` · vocabulary \`${result.vocabulary}\` (+ label words) · engine ${result.backend} · ${result.overall.n} images · ${result.seconds.toFixed(0)} s`,
    '',
    '| tagP1 | tagP5 | textR10 | simP10 | n |',
    '|---|---|---|---|---|',
    `| ${f(result.overall.tagP1)} | ${f(result.overall.tagP5)} | ${f(result.overall.textR10)} | ${f(result.overall.simP10)} | ${result.overall.n} |`,
    '',
    '| label | n | tagP1 | tagP5 | textR10 | simP10 |',
    '|---|---|---|---|---|---|',
    ...result.perLabel.map(
      (l) => `| ${l.label} | ${l.n} | ${f(l.tagP1)} | ${f(l.tagP5)} | ${f(l.textR10)} | ${f(l.simP10)} |`,
    ),
    '',
    "tagP1/tagP5: a top-1/top-5 tag is one of the label's words. textR10: the label's words as a text query, share of that",
    "label's images in the top 10. simP10: share of the 10 visually nearest other images with the same label.",
    '',
    ...confusionTable(result),
  ].join('\n');
}

/** Rows: the images' labels; columns: the label whose words their first tag is (or other). */
function confusionTable(result: EvaluationResult): string[] {
  const labels = result.perLabel.map((l) => l.label);
  const columns = [...labels, 'other'];
  return [
    '## First tag by label',
    '',
    `| label \\ first tag | ${columns.join(' | ')} |`,
    `|---|${columns.map(() => '---').join('|')}|`,
    ...labels.map((l) => `| ${l} | ${columns.map((c) => result.confusion[l]?.[c] ?? 0).join(' | ')} |`),
    '',
  ];
}
