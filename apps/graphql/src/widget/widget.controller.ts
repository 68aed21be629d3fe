import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Controller, Get, Res } from '@nestjs/common';
import type { Response } from 'express';

/** `apps/graphql/public/widget.js`, next to `dist/` in the built app and in the image. */
const WIDGET_PATH = join(__dirname, '../../public/widget.js');

/**
 * `GET /widget.js`: the storefront web component `<catalens-similar>` (docs/graphql.md). Read once
 * at start; a missing file stops the app, as a missing model would.
 */
@Controller()
export class WidgetController {
  private readonly script = readFileSync(WIDGET_PATH);

  @Get('widget.js')
  widget(@Res() res: Response): void {
    res
      .status(200)
      .set({
        'content-type': 'text/javascript; charset=utf-8',
        'cache-control': 'public, max-age=300',
        'x-content-type-options': 'nosniff',
        // Pages of any origin load it with <script src>, some with crossorigin.
        'access-control-allow-origin': '*',
      })
      .end(this.script);
  }
}
