import {
  Body,
  Controller,
  Get,
  HttpCode,
  Param,
  Post,
  Req,
  Res,
  UploadedFile,
  UseGuards,
  UseInterceptors,
} from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { ItemRepository, Roles } from '@catalens/db';
import type { Response } from 'express';
import { ApiKeyGuard, type AuthenticatedRequest } from '../auth/api-key.guard';
import { ApiError } from '../common/api-error';
import { MAX_BATCH_ITEMS } from './dto/item.input';
import { itemFromFormFields } from './dto/upload-fields';
import { UPLOAD_LIMITS } from './upload-limits';
import type { IngestRoute } from './ingest-metrics';
import { ItemIngestService } from './item-ingest.service';

@Controller('v1/items')
@UseGuards(ApiKeyGuard)
export class ItemsController {
  constructor(
    private readonly ingest: ItemIngestService,
    private readonly items: ItemRepository,
  ) {}

  /**
   * One item (an object) or a batch (an array of ≤ 1,000). 202 once every accepted item is
   * acknowledged by Kafka; 200 when nothing needed queueing; a batch whose every element was
   * refused answers 400. Each batch element carries its own outcome.
   */
  @Post()
  @Roles('ingest')
  @HttpCode(202)
  async create(
    @Req() req: AuthenticatedRequest,
    @Body() body: unknown,
    @Res({ passthrough: true }) res: Response,
  ) {
    const tenantId = req.principal.tenantId;
    if (Array.isArray(body)) {
      if (body.length === 0)
        throw new ApiError(400, 'EMPTY_BATCH', 'the batch is empty; send 1 to 1000 items');
      if (body.length > MAX_BATCH_ITEMS) {
        throw new ApiError(
          413,
          'BATCH_TOO_LARGE',
          `the batch has ${body.length} items; send at most ${MAX_BATCH_ITEMS} per request`,
        );
      }
      const results = await this.ingest.ingest(tenantId, body, { route: 'items' });
      const count = (kind: string) => results.filter((r) => r.outcome === kind).length;
      // 202: something was queued; 200: nothing needed queueing; 400: every element was refused.
      res.status(count('accepted') > 0 ? 202 : count('unchanged') > 0 ? 200 : 400);
      return {
        accepted: count('accepted'),
        unchanged: count('unchanged'),
        rejected: count('rejected'),
        ...(count('rejected') === results.length
          ? {
              error: {
                code: 'BATCH_REJECTED',
                message: `all ${results.length} items were refused; see results[].error for each`,
              },
            }
          : {}),
        results,
      };
    }
    if (typeof body !== 'object' || body === null) {
      throw new ApiError(
        400,
        'INVALID_BODY',
        'the body must be a JSON object (one item) or an array of items',
      );
    }
    return this.single(tenantId, body, undefined, res, 'items');
  }

  /** One item as multipart/form-data: the image file in `image`, the item fields beside it. */
  @Post('upload')
  @Roles('ingest')
  @UseInterceptors(FileInterceptor('image', { limits: UPLOAD_LIMITS.current }))
  async upload(
    @Req() req: AuthenticatedRequest,
    @UploadedFile() file: Express.Multer.File | undefined,
    @Body() fields: Record<string, unknown>,
    @Res({ passthrough: true }) res: Response,
  ) {
    if (!file) {
      throw new ApiError(
        400,
        'IMAGE_MISSING',
        'send the image as a multipart/form-data file field named "image"',
        'image',
      );
    }
    if ('imageUrl' in fields || 'imageBase64' in fields) {
      throw new ApiError(
        400,
        'INVALID_FIELD',
        'an upload carries its image as the file; drop imageUrl/imageBase64',
        'imageUrl',
      );
    }
    return this.single(req.principal.tenantId, itemFromFormFields(fields), file.buffer, res, 'upload');
  }

  private async single(
    tenantId: string,
    item: object,
    image: Buffer | undefined,
    res: Response,
    route: IngestRoute,
  ) {
    const [result] = await this.ingest.ingest(tenantId, [item], { route, images: [image] });
    if (result!.outcome === 'rejected') {
      throw new ApiError(result!.status, result!.error!.code, result!.error!.message, result!.error!.field);
    }
    res.status(result!.status);
    const { index: _index, ...single } = result!;
    return single;
  }

  @Get(':externalId')
  @Roles('ingest', 'search', 'curate', 'admin')
  async status(@Req() req: AuthenticatedRequest, @Param('externalId') externalId: string) {
    const tenantId = req.principal.tenantId;
    const item = await this.items.findByExternalId(tenantId, externalId);
    if (!item)
      throw new ApiError(
        404,
        'ITEM_NOT_FOUND',
        `no item with externalId "${externalId.slice(0, 60)}" for this tenant`,
      );
    const tags = await this.items.tagsOf(tenantId, item.id);
    return {
      id: item.id,
      externalId: item.externalId,
      status: item.status,
      failureReason: item.failureReason,
      duplicateOf: item.duplicateOfId,
      modelVersion: item.modelVersion,
      title: item.title,
      category: item.category,
      tags,
      createdAt: item.createdAt,
      updatedAt: item.updatedAt,
      queuedAt: item.queuedAt,
      indexedAt: item.indexedAt,
    };
  }
}
