import { BusUnavailableError } from '@catalens/bus';
import { ContractViolationError } from '@catalens/contracts';
import { ImageFetchError, ImageRejectedError } from '@catalens/imaging';
import { ApiError } from './api-error';
import { toErrorBody } from './error-body';

describe('toErrorBody', () => {
  it('maps a broker outage to 503 with Retry-After', () => {
    expect(toErrorBody(new BusUnavailableError('down'))).toMatchObject({
      status: 503,
      code: 'BROKER_UNAVAILABLE',
      headers: { 'Retry-After': '5' },
    });
  });

  it('keeps the status and code of image refusals and names the field', () => {
    expect(toErrorBody(new ImageRejectedError('IMAGE_TOO_SMALL', '1×1'))).toMatchObject({
      status: 422,
      code: 'IMAGE_TOO_SMALL',
      field: 'image',
    });
    expect(toErrorBody(new ImageFetchError('URL_ADDRESS_FORBIDDEN', 'private'))).toMatchObject({
      status: 400,
      field: 'imageUrl',
    });
  });

  it('maps contract violations to 400 with their field', () => {
    expect(toErrorBody(new ContractViolationError('metadata.title', 'required'))).toMatchObject({
      status: 400,
      field: 'metadata.title',
    });
  });

  it('passes API errors through and hides unknown errors behind a 500', () => {
    expect(toErrorBody(new ApiError(404, 'ITEM_NOT_FOUND', 'nope'))).toMatchObject({
      status: 404,
      code: 'ITEM_NOT_FOUND',
    });
    const hidden = toErrorBody(new Error('password=hunter2 at db'));
    expect(hidden).toEqual({ status: 500, code: 'INTERNAL', message: 'internal error; it has been logged' });
  });
});
