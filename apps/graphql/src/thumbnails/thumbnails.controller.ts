import { isUuid } from '@catalens/contracts';
import { ItemQueryRepository } from '@catalens/db';
import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { ThumbnailSigner } from './thumbnail-signer';

/**
 * `GET /v1/thumbnails/:itemId?h&exp&sig`: an item's normalized image (≤ 512 px) behind a signed,
 * expiring link, so storefront `<img>` tags and the dashboard can show it without an API key.
 */
@Controller('v1/thumbnails')
export class ThumbnailsController {
  constructor(
    private readonly signer: ThumbnailSigner,
    private readonly items: ItemQueryRepository,
  ) {}

  @Get(':itemId')
  async get(
    @Param('itemId') itemId: string,
    @Query('exp') exp: string | undefined,
    @Query('sig') sig: string | undefined,
    @Res() res: Response,
  ): Promise<void> {
    const refuse = (status: number, code: string, message: string) =>
      void res.status(status).json({ error: { code, message } });
    const expires = Number(exp);
    if (!isUuid(itemId) || !Number.isSafeInteger(expires) || typeof sig !== 'string' || sig.length > 64)
      return refuse(400, 'BAD_THUMBNAIL_LINK', 'not a thumbnail link; read the item’s thumbnailUrl again');
    const image = await this.items.image(itemId);
    if (!image) return refuse(404, 'NOT_FOUND', 'no image for this item');
    const problem = this.signer.verify({ itemId, contentHash: image.contentHash, expires }, sig);
    if (problem)
      return refuse(
        403,
        problem === 'expired' ? 'THUMBNAIL_LINK_EXPIRED' : 'THUMBNAIL_LINK_INVALID',
        problem === 'expired'
          ? 'this thumbnail link has expired; read the item’s thumbnailUrl again'
          : 'this link is not valid for this item’s image (tampered, or the image changed); read the item’s thumbnailUrl again',
      );
    const maxAge = Math.max(0, expires - Math.floor(Date.now() / 1000));
    res
      .status(200)
      .set({
        'content-type': image.mime,
        'cache-control': `public, max-age=${maxAge}, immutable`,
        etag: `"${image.contentHash}"`,
        'x-content-type-options': 'nosniff',
      })
      .end(image.bytes);
  }
}
