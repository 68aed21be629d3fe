import type { Condition, Filter } from '@catalens/vector-store';
import { apiError } from '../common/api-errors';
import type { SearchFilter } from './dto/search-filter.input';

const LIST_MAX = 50;

function list(
  values: string[] | undefined,
  field: string,
  normalize = (v: string) => v,
): string[] | undefined {
  if (values === undefined) return undefined;
  if (values.length === 0 || values.length > LIST_MAX)
    throw apiError('BAD_USER_INPUT', `filter.${field}: between 1 and ${LIST_MAX} values`, `filter.${field}`);
  return values.map((v) => {
    const value = normalize(v.trim());
    if (!value || value.length > 200)
      throw apiError('BAD_USER_INPUT', `filter.${field}: empty or over 200 characters`, `filter.${field}`);
    return value;
  });
}

const lower = (v: string) => v.toLowerCase();

/**
 * The store filter for a caller: the key's tenant always, then the request's conditions. It
 * runs inside the vector search (never after it), so a page of `first` hits is always full.
 */
export function storeFilter(
  tenantId: string,
  filter: SearchFilter | undefined,
  excludeItemId?: string,
): Filter {
  const must: Condition[] = [{ key: 'tenantId', match: tenantId }];
  const categories = list(filter?.categories, 'categories', lower);
  if (categories) must.push({ key: 'category', matchAny: categories });
  if (filter?.minPrice !== undefined || filter?.maxPrice !== undefined) {
    const { minPrice, maxPrice } = filter;
    if (
      (minPrice !== undefined && minPrice < 0) ||
      (minPrice !== undefined && maxPrice !== undefined && maxPrice < minPrice)
    )
      throw apiError('BAD_USER_INPUT', 'filter: minPrice must be ≥ 0 and ≤ maxPrice', 'filter.minPrice');
    must.push({
      key: 'price',
      range: {
        ...(minPrice !== undefined ? { gte: minPrice } : {}),
        ...(maxPrice !== undefined ? { lte: maxPrice } : {}),
      },
    });
  }
  for (const tag of list(filter?.allTags, 'allTags', lower) ?? []) must.push({ key: 'tags', match: tag });
  const anyTags = list(filter?.anyTags, 'anyTags', lower);
  if (anyTags) must.push({ key: 'tags', matchAny: anyTags });
  const availability = list(filter?.availability, 'availability', lower);
  if (availability) must.push({ key: 'availability', matchAny: availability });
  return { must, ...(excludeItemId ? { mustNot: [{ key: 'itemId', match: excludeItemId }] } : {}) };
}
