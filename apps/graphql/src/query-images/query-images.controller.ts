import { ApiKeyRepository, REST_AUTH_ERRORS, checkApiKey } from '@catalens/db';
import { Controller, Inject, Logger, Post, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { GRAPHQL_CONFIG, type GraphqlConfig } from '../config';
import { QueryImageError } from './query-image-encoder';
import { QueryImagesService } from './query-images.service';

/**
 * `POST /v1/query-images`: the REST companion of `similarItems(imageId:)`. The body is the image
 * itself with its `Content-Type` (image/jpeg, image/png, image/webp, image/gif, image/avif,
 * image/tiff); the answer is a short-lived id. Only requests carrying an API key header are
 * served, and an `image/*` body is not a form a cross-site page can post without a CORS preflight.
 */
@Controller('v1/query-images')
export class QueryImagesController {
  private readonly logger = new Logger(QueryImagesController.name);

  constructor(
    @Inject(GRAPHQL_CONFIG) private readonly config: GraphqlConfig,
    private readonly keys: ApiKeyRepository,
    private readonly images: QueryImagesService,
  ) {}

  @Post()
  async upload(@Req() req: Request, @Res() res: Response): Promise<void> {
    const fail = (status: number, code: string, message: string) => {
      // Stop reading an unwanted body; the client gets the answer, then the connection closes.
      res.setHeader('connection', 'close');
      res.status(status).json({ error: { code, message } });
      req.resume();
    };
    const checked = await checkApiKey(this.keys, req.headers, ['search', 'curate', 'admin']);
    if ('problem' in checked) {
      const { status, code } = REST_AUTH_ERRORS[checked.problem];
      return fail(status, code, checked.message);
    }
    const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
    if (!type.startsWith('image/'))
      return fail(
        415,
        'UNSUPPORTED_MEDIA_TYPE',
        `send the image bytes as the body with their Content-Type (image/jpeg, image/png, image/webp…), not ${type || 'no content type'}`,
      );
    const limit = this.config.GRAPHQL_MAX_IMAGE_BYTES;
    const tooLarge = () =>
      fail(413, 'PAYLOAD_TOO_LARGE', `the image is over the ${limit}-byte limit; send a smaller image`);
    if (Number(req.headers['content-length'] ?? 0) > limit) return tooLarge();
    const body = await readBody(req, limit);
    if (body === 'too-large') return tooLarge();
    if (body === 'aborted') return;
    try {
      const saved = await this.images.upload(checked.principal.tenantId, body);
      res.status(201).json({
        imageId: saved.id,
        expiresAt: saved.expiresAt.toISOString(),
        width: saved.width,
        height: saved.height,
      });
    } catch (error) {
      if (error instanceof QueryImageError) return fail(422, error.code, error.message);
      this.logger.error(`query image upload failed: ${(error as Error).message}`);
      fail(500, 'INTERNAL_SERVER_ERROR', 'the image could not be processed; retry later');
    }
  }
}

/** The request body, or why there is none: over `limit` bytes, or the client went away. */
function readBody(req: Request, limit: number): Promise<Buffer | 'too-large' | 'aborted'> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const finish = (result: Buffer | 'too-large' | 'aborted') => {
      if (done) return;
      done = true;
      req.removeAllListeners('data');
      resolve(result);
    };
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) finish('too-large');
      else chunks.push(chunk);
    });
    req.on('end', () => finish(Buffer.concat(chunks)));
    req.on('error', () => finish('aborted'));
    req.on('close', () => finish(size > limit ? 'too-large' : 'aborted'));
  });
}
