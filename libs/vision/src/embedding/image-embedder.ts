import type { EncodedImage, ImageEncoder } from '../encoder/image-encoder';
import type { SemanticHead } from './semantic-head';

/** An encoder that can also return its classifier's probabilities (both shipped encoders can). */
export interface ClassifyingImageEncoder extends ImageEncoder {
  readonly labels: readonly string[] | null;
  encodeWithProbabilities(images: readonly Buffer[]): Promise<EncodedImage[]>;
}

export interface ImageEmbedding {
  /** L2-normalized visual vector (similar-image search). */
  visual: Float32Array;
  /** L2-normalized vector in word-vector space (tags, text search). */
  semantic: Float32Array;
}

/** `encoder id + semantic head id`: what produced a vector, and so which collection holds it. */
export const modelVersionOf = (encoderId: string, headId: string): string => `${encoderId}+${headId}`;

/** Image bytes → visual and semantic vectors, by one image model and one semantic head. */
export class ImageEmbedder {
  readonly modelVersion: string;

  constructor(
    readonly encoder: ClassifyingImageEncoder,
    readonly head: SemanticHead,
  ) {
    this.modelVersion = modelVersionOf(encoder.id, head.id);
  }

  get visualDim(): number {
    return this.encoder.dim;
  }
  get semanticDim(): number {
    return this.head.dim;
  }

  async embed(images: readonly Buffer[]): Promise<ImageEmbedding[]> {
    const encoded = this.head.needsProbabilities
      ? await this.encoder.encodeWithProbabilities(images)
      : (await this.encoder.encode(images)).map((visual) => ({ visual }));
    return encoded.map((e) => ({ visual: e.visual, semantic: this.head.project(e) }));
  }
}
