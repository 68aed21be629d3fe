import { ApiError } from '../../common/api-error';

/**
 * Multipart form fields are all strings: turn the numeric and JSON ones into the types the item
 * schema validates (which then names any remaining problem).
 */
export function itemFromFormFields(fields: Record<string, unknown>): Record<string, unknown> {
  const item: Record<string, unknown> = { ...fields };
  if (typeof fields.price === 'string' && fields.price.trim() !== '') {
    const price = Number(fields.price);
    item.price = Number.isFinite(price) ? price : fields.price;
  }
  if (typeof fields.attributes === 'string') {
    try {
      item.attributes = JSON.parse(fields.attributes) as unknown;
    } catch {
      throw new ApiError(
        400,
        'INVALID_FIELD',
        'attributes: expected a JSON object in the form field',
        'attributes',
      );
    }
  }
  for (const [name, value] of Object.entries(item)) if (value === '') delete item[name];
  return item;
}
