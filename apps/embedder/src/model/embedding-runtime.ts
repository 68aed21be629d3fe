import { loadWordVectors, type WordVectors } from '@catalens/semantics';
import {
  ImageDecodeError,
  IMAGE_ENCODER,
  ImageEmbedder,
  WorkerPoolImageEncoder,
  type ClassifyingImageEncoder,
  conseHead,
  parseSemanticHead,
  deviseHead,
  loadLabelConcepts,
  type ImageEmbedding,
  type SemanticHead,
} from '@catalens/vision';
import {
  Inject,
  Injectable,
  Logger,
  type FactoryProvider,
  type OnApplicationShutdown,
  type OnModuleInit,
} from '@nestjs/common';
import { EMBEDDER_CONFIG, type EmbedderConfig } from '../config';
import { EmbedderMetrics } from '../metrics/embedder-metrics';
import { type BatchOutcome, MicroBatcher } from '../pipeline/micro-batcher';

/** An image the model cannot decode: permanent for that record, the rest of its batch goes on. */
export class UndecodableImageError extends Error {
  constructor(detail: string) {
    super(`the image cannot be decoded: ${detail}; re-ingest the item with a valid JPEG, PNG or WebP`);
    this.name = 'UndecodableImageError';
  }
}

/**
 * Embeds a batch; an undecodable image is taken out and the rest re-run, so one bad image
 * costs its batch one extra pass and fails alone.
 */
export async function embedIsolatingBadImages(
  embedder: Pick<ImageEmbedder, 'embed'>,
  images: readonly Buffer[],
): Promise<BatchOutcome<ImageEmbedding>[]> {
  const outcomes = new Array<BatchOutcome<ImageEmbedding>>(images.length);
  let pending = images.map((_, i) => i);
  while (pending.length > 0) {
    try {
      const embedded = await embedder.embed(pending.map((i) => images[i]!));
      embedded.forEach((value, k) => (outcomes[pending[k]!] = { ok: true, value }));
      break;
    } catch (error) {
      if (!(error instanceof ImageDecodeError) || error.index >= pending.length) throw error;
      outcomes[pending[error.index]!] = { ok: false, error: new UndecodableImageError(error.detail) };
      pending = pending.filter((_, k) => k !== error.index);
    }
  }
  return outcomes;
}

/** What the embedder needs of the ImageEncoder port: class probabilities, and its parallelism. */
export type EmbedderImageEncoder = ClassifyingImageEncoder & {
  readonly size: number;
  readonly fallback?: string;
};

/**
 * The ImageEncoder port's adapter for this app (IMAGE_ENCODER): the worker pool running
 * EMBEDDER_ENGINE in EMBEDDER_WORKERS threads, started before the app listens.
 */
export function imageEncoderProvider(): FactoryProvider<Promise<EmbedderImageEncoder>> {
  return {
    provide: IMAGE_ENCODER,
    inject: [EMBEDDER_CONFIG, EmbedderMetrics],
    useFactory: (config: EmbedderConfig, metrics: EmbedderMetrics) =>
      WorkerPoolImageEncoder.create({
        engine: config.EMBEDDER_ENGINE,
        workers: config.EMBEDDER_WORKERS,
        chunk: config.EMBEDDER_BATCH_MAX,
        ...(config.MODEL_DIR ? { modelDir: config.MODEL_DIR } : {}),
        onTiming: (t) => {
          metrics.preprocessSeconds.observe(t.preprocessSeconds);
          metrics.inferSeconds.observe(t.inferSeconds);
        },
      }),
  };
}

/**
 * The loaded image model, semantic head and word vectors, and the micro-batcher in front of
 * them. Loaded before the app listens: an embedder without its model is not alive.
 */
@Injectable()
export class EmbeddingRuntime implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(EmbeddingRuntime.name);
  private loaded?: {
    embedder: ImageEmbedder;
    vectors: WordVectors;
    batcher: MicroBatcher<Buffer, ImageEmbedding>;
  };

  constructor(
    @Inject(EMBEDDER_CONFIG) private readonly config: EmbedderConfig,
    private readonly metrics: EmbedderMetrics,
    @Inject(IMAGE_ENCODER) private readonly encoder: EmbedderImageEncoder,
  ) {}

  async onModuleInit(): Promise<void> {
    const config = this.config;
    const { vectors } = await loadWordVectors(config.GLOVE_PATH);
    const encoder = this.encoder;
    if (encoder.fallback) this.logger.warn(`EMBEDDER_ENGINE=${config.EMBEDDER_ENGINE}: ${encoder.fallback}`);
    let head: SemanticHead;
    try {
      const setting = parseSemanticHead(config.SEMANTIC_HEAD);
      head =
        setting.kind === 'conse'
          ? conseHead(encoder, vectors, setting.topT, await loadLabelConcepts(config.MODEL_DIR))
          : deviseHead(setting.dir, encoder);
    } catch (error) {
      await encoder.close();
      throw new Error(`SEMANTIC_HEAD=${config.SEMANTIC_HEAD}: ${(error as Error).message}`, { cause: error });
    }
    if (head.dim !== vectors.dim) {
      await encoder.close();
      throw new Error(
        `SEMANTIC_HEAD ${head.id} projects to ${head.dim}-d but the word vectors (${vectors.source}) are ${vectors.dim}-d; train the head on these vectors`,
      );
    }
    const embedder = new ImageEmbedder(encoder, head);
    const batcher = new MicroBatcher<Buffer, ImageEmbedding>(
      (images) => embedIsolatingBadImages(embedder, images),
      {
        maxBatch: config.EMBEDDER_BATCH_MAX,
        maxWaitMs: config.EMBEDDER_BATCH_MAX_WAIT_MS,
        concurrency: config.EMBEDDER_BATCHES_IN_FLIGHT ?? encoder.size * 2,
        onDispatch: (size, wait) => {
          this.metrics.batchSize.observe(size);
          this.metrics.queueWaitSeconds.observe(wait);
        },
      },
    );
    this.loaded = { embedder, vectors, batcher };
    this.metrics.backend.set({ backend: encoder.backend, model_version: embedder.modelVersion }, 1);
    this.logger.log(
      `model ${embedder.modelVersion} loaded: backend ${encoder.backend} × ${encoder.size} workers, visual ${embedder.visualDim}-d, semantic ${embedder.semanticDim}-d (${vectors.source})`,
    );
  }

  private get ready() {
    if (!this.loaded) throw new Error('the embedding model is not loaded yet');
    return this.loaded;
  }

  get embedder(): ImageEmbedder {
    return this.ready.embedder;
  }
  get wordVectors(): WordVectors {
    return this.ready.vectors;
  }
  /** The head's own place for vocabulary terms (ConSE over WordNet), if it has one. */
  get semanticHead(): SemanticHead {
    return this.ready.embedder.head;
  }
  get modelVersion(): string {
    return this.ready.embedder.modelVersion;
  }
  /** Images waiting for a model batch. */
  get queued(): number {
    return this.loaded?.batcher.queued ?? 0;
  }

  embed(image: Buffer): Promise<ImageEmbedding> {
    return this.ready.batcher.submit(image);
  }

  async onApplicationShutdown(): Promise<void> {
    this.loaded?.batcher.close();
    await this.loaded?.embedder.encoder.close();
  }
}
