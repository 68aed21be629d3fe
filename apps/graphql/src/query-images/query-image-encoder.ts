import { ImageRejectedError, normalizeImage } from '@catalens/imaging';
import { ImageDecodeError, WorkerPoolImageEncoder } from '@catalens/vision';
import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { GRAPHQL_CONFIG, type GraphqlConfig } from '../config';

export interface QueryVector {
  /** Unit-length visual vector. */
  vector: Float32Array;
  /** The image model that computed it (the encoder part of a model version). */
  modelId: string;
  width: number;
  height: number;
}

/** A query image the API cannot use; `code` is ImageRejectedError's or IMAGE_UNDECODABLE. */
export class QueryImageError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'QueryImageError';
  }
}

/**
 * Turns a query image into a visual vector the way catalog images are: ingest's normalization
 * (orientation, sRGB, ≤ 512 px, JPEG) and then the same image model as the embedders. The model
 * loads at the first image query, so servers that never get one never pay for it.
 */
@Injectable()
export class QueryImageEncoder implements OnApplicationShutdown {
  private readonly logger = new Logger(QueryImageEncoder.name);
  private encoder?: Promise<WorkerPoolImageEncoder>;

  constructor(@Inject(GRAPHQL_CONFIG) private readonly config: GraphqlConfig) {}

  private load(): Promise<WorkerPoolImageEncoder> {
    this.encoder ??= WorkerPoolImageEncoder.create({
      workers: this.config.GRAPHQL_ENCODER_WORKERS,
      ...(this.config.MODEL_DIR ? { modelDir: this.config.MODEL_DIR } : {}),
    }).then(
      (encoder) => {
        this.logger.log(`image model ${encoder.id} loaded for image queries (${encoder.backend})`);
        if (encoder.fallback) this.logger.warn(encoder.fallback);
        return encoder;
      },
      (error: Error) => {
        this.encoder = undefined; // the next image query tries again
        throw error;
      },
    );
    return this.encoder;
  }

  async encode(bytes: Buffer): Promise<QueryVector> {
    let normalized;
    try {
      normalized = await normalizeImage(bytes, { maxBytes: this.config.GRAPHQL_MAX_IMAGE_BYTES });
    } catch (error) {
      if (error instanceof ImageRejectedError) throw new QueryImageError(error.code, error.message);
      throw error;
    }
    const encoder = await this.load();
    try {
      const [vector] = await encoder.encode([normalized.bytes]);
      return { vector: vector!, modelId: encoder.id, width: normalized.width, height: normalized.height };
    } catch (error) {
      if (error instanceof ImageDecodeError)
        throw new QueryImageError('IMAGE_UNDECODABLE', `the image cannot be decoded: ${error.detail}`);
      throw error;
    }
  }

  async onApplicationShutdown(): Promise<void> {
    const encoder = await this.encoder?.catch(() => undefined);
    await encoder?.close();
  }
}
