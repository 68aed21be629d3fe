import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import { isBodyError } from '@catalens/observability';
import type { Response } from 'express';
import { UPLOAD_LIMITS } from '../items/upload-limits';
import { type ErrorBody, toErrorBody } from './error-body';

const HTTP_CODES: Record<number, string> = {
  400: 'BAD_REQUEST',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
};

/** Every error leaves as `{"error": {"code", "message", "field"?}}` with the right status. */
@Catch()
export class HttpErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('HttpError');

  catch(error: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    let body: ErrorBody;
    if (error instanceof HttpException) {
      // Framework errors: body-parser's 413 and malformed JSON, unknown routes.
      const status = error.getStatus();
      const raw = error.getResponse();
      if (typeof raw === 'object' && raw !== null && 'details' in raw) {
        // Terminus' /readyz report: its shape is the health contract, keep it as it is.
        res.status(status).json(raw);
        return;
      }
      const message =
        typeof raw === 'string' ? raw : ((raw as { message?: string }).message ?? error.message);
      body = {
        status,
        code: HTTP_CODES[status] ?? `HTTP_${status}`,
        // multer's messages are terse ("File too large"): say which limit and what to do.
        message:
          status === 413 && message === 'File too large'
            ? `the uploaded image is over the ${UPLOAD_LIMITS.current.fileSize}-byte limit; send a smaller image`
            : message === 'Unexpected field'
              ? 'unexpected file field: send one image in the multipart file field named "image"'
              : status === 400 && /JSON/i.test(String(message))
                ? `the body is not valid JSON: ${String(message)}`
                : String(message),
      };
    } else if (isBodyError(error)) {
      // Errors that carry a safe 4xx status (body-parser's are answered before routing, by
      // observability's body-error handler; this covers any other such error).
      body = {
        status: error.status,
        code: HTTP_CODES[error.status] ?? `HTTP_${error.status}`,
        message:
          error.type === 'entity.too.large'
            ? `the body is ${error.length ?? 'over'} bytes; the limit is ${error.limit} bytes (send smaller batches or use imageUrl)`
            : error.type === 'entity.parse.failed'
              ? `the body is not valid JSON: ${error.message}`
              : error.message,
      };
    } else {
      body = toErrorBody(error);
      if (body.status >= 500 && body.code === 'INTERNAL')
        this.logger.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    }
    for (const [name, value] of Object.entries(body.headers ?? {})) res.setHeader(name, value);
    res.status(body.status).json({
      error: { code: body.code, message: body.message, ...(body.field ? { field: body.field } : {}) },
    });
  }
}
