import { BusRecordRejectedError, BusUnavailableError } from '@catalens/bus';
import { ContractViolationError } from '@catalens/contracts';
import { ImageFetchError, ImageRejectedError } from '@catalens/imaging';
import { ApiError } from './api-error';

export interface ErrorBody {
  status: number;
  code: string;
  message: string;
  field?: string;
  headers?: Record<string, string>;
}

/** Seconds a client should wait before retrying when Kafka is unavailable. */
export const RETRY_AFTER_SECONDS = 5;

/**
 * The one place where domain errors become HTTP answers. Unknown errors are 500 without their
 * internals; everything a client caused maps to a 4xx naming what to change.
 */
export function toErrorBody(error: unknown): ErrorBody {
  if (error instanceof ApiError)
    return {
      status: error.status,
      code: error.code,
      message: error.message,
      field: error.field,
      headers: error.headers,
    };
  if (error instanceof ImageRejectedError)
    return { status: error.status, code: error.code, message: error.message, field: 'image' };
  if (error instanceof ImageFetchError) {
    return {
      status: error.status,
      code: error.code,
      message: error.message,
      field: 'imageUrl',
      headers: error.status === 503 ? { 'Retry-After': String(RETRY_AFTER_SECONDS) } : undefined,
    };
  }
  if (error instanceof ContractViolationError)
    return { status: 400, code: error.code, message: error.message, field: error.field };
  if (error instanceof BusUnavailableError) {
    return {
      status: 503,
      code: 'BROKER_UNAVAILABLE',
      message:
        'the item could not be queued because the message broker is unavailable; nothing was accepted, retry later',
      headers: { 'Retry-After': String(RETRY_AFTER_SECONDS) },
    };
  }
  if (error instanceof BusRecordRejectedError)
    return { status: 413, code: 'RECORD_REJECTED', message: error.message };
  return { status: 500, code: 'INTERNAL', message: 'internal error; it has been logged' };
}
