import { isUuid } from '@catalens/contracts';
import { QueryImageRepository } from '@catalens/db';
import { ImageFetchError, SafeImageFetcher } from '@catalens/imaging';
import { Inject, Injectable } from '@nestjs/common';
import { apiError } from '../common/api-errors';
import { GRAPHQL_CONFIG, type GraphqlConfig } from '../config';
import { QueryImageEncoder, QueryImageError, type QueryVector } from './query-image-encoder';

/** Query images: uploaded ones (kept for a while, by id) and fetched ones (used once). */
@Injectable()
export class QueryImagesService {
  private readonly fetcher: SafeImageFetcher;

  constructor(
    @Inject(GRAPHQL_CONFIG) private readonly config: GraphqlConfig,
    private readonly encoder: QueryImageEncoder,
    private readonly images: QueryImageRepository,
  ) {
    this.fetcher = new SafeImageFetcher({
      allowCidrs: config.GRAPHQL_FETCH_ALLOW_CIDRS,
      maxBytes: config.GRAPHQL_MAX_IMAGE_BYTES,
      readTimeoutMs: config.GRAPHQL_FETCH_TIMEOUT_MS,
      retries: 0,
    });
  }

  /** Encodes an uploaded image and keeps its vector for GRAPHQL_QUERY_IMAGE_TTL_S. */
  async upload(tenantId: string, bytes: Buffer) {
    const encoded = await this.encoder.encode(bytes);
    return this.images.save(tenantId, encoded, this.config.GRAPHQL_QUERY_IMAGE_TTL_S * 1000);
  }

  async byId(tenantId: string, imageId: string): Promise<QueryVector> {
    const found = isUuid(imageId) ? await this.images.find(tenantId, imageId) : undefined;
    if (!found)
      throw apiError(
        'NOT_FOUND',
        `no query image ${imageId.slice(0, 60)}: it expired or was never uploaded here; POST the image to /v1/query-images again`,
        'imageId',
      );
    return found;
  }

  /** Fetches an image URL as ingest does (public addresses only, size and time limits). */
  async byUrl(imageUrl: string): Promise<QueryVector> {
    try {
      const { bytes } = await this.fetcher.fetch(imageUrl);
      return await this.encoder.encode(bytes);
    } catch (error) {
      if (error instanceof ImageFetchError || error instanceof QueryImageError)
        throw apiError('BAD_USER_INPUT', `imageUrl: ${error.message}`, 'imageUrl');
      throw error;
    }
  }
}
