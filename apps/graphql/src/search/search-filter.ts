import type { ItemSearchFilter } from '@catalens/db';
import type { Condition, Filter } from '@catalens/vector-store';
import { apiError } from '../common/api-errors';
import type { SearchFilter } from './dto/search-filter.input';

const LIST_MAX = 50;

function list(values: string[] | undefined, field: string): string[] | undefined {
  if (values === undefined) return undefined;
  if (values.length === 0 || values.length > LIST_MAX)
    throw apiError('BAD_USER_INPUT', `filter.${field}: between 1 and ${LIST_MAX} values`, `filter.${field}`);
  return values.map((v) => {
    const value = v.trim().toLowerCase();
    if (!value || value.length > 200)
      throw apiError('BAD_USER_INPUT', `filter.${field}: empty or over 200 characters`, `filter.${field}`);
    return value;
  });
}

/**
 * A request's filter, checked and in the stored form (trimmed, lower case). Both the vector-store
 * filter and the keyword search's SQL are built from it, so every search mode filters alike.
 */
export function normalizeFilter(filter: SearchFilter | undefined): ItemSearchFilter {
  if (!filter) return {};
  const { minPrice, maxPrice } = filter;
  if (
    (minPrice !== undefined && minPrice < 0) ||
    (minPrice !== undefined && maxPrice !== undefined && maxPrice < minPrice)
  )
    throw apiError('BAD_USER_INPUT', 'filter: minPrice must be ≥ 0 and ≤ maxPrice', 'filter.minPrice');
  const out: ItemSearchFilter = {
    categories: list(filter.categories, 'categories'),
    minPrice,
    maxPrice,
    allTags: list(filter.allTags, 'allTags'),
    anyTags: list(filter.anyTags, 'anyTags'),
    availability: list(filter.availability, 'availability'),
  };
  return Object.fromEntries(Object.entries(out).filter(([, v]) => v !== undefined));
}

/**
 * The store filter for a caller: the key's tenant always, then the request's conditions. It
 * runs inside the vector search (never after it), so a page of `first` hits is always full.
 */
export function storeFilter(tenantId: string, filter: ItemSearchFilter, excludeItemId?: string): Filter {
  const must: Condition[] = [{ key: 'tenantId', match: tenantId }];
  if (filter.categories) must.push({ key: 'category', matchAny: [...filter.categories] });
  if (filter.minPrice !== undefined || filter.maxPrice !== undefined)
    must.push({
      key: 'price',
      range: {
        ...(filter.minPrice !== undefined ? { gte: filter.minPrice } : {}),
        ...(filter.maxPrice !== undefined ? { lte: filter.maxPrice } : {}),
      },
    });
  for (const tag of filter.allTags ?? []) must.push({ key: 'tags', match: tag });
  if (filter.anyTags) must.push({ key: 'tags', matchAny: [...filter.anyTags] });
  if (filter.availability) must.push({ key: 'availability', matchAny: [...filter.availability] });
  return { must, ...(excludeItemId ? { mustNot: [{ key: 'itemId', match: excludeItemId }] } : {}) };
}
