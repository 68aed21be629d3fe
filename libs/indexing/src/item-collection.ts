import { createHash } from 'node:crypto';
import type { CollectionSpec } from '@catalens/vector-store';

/** The two named vectors every item point carries. */
export const VISUAL = 'visual';
export const SEMANTIC = 'semantic';

/**
 * Item points of one model version. Filters run inside the store query (never after it), so
 * every field a storefront or dashboard filters on is indexed here.
 */
export function itemCollectionSpec(dims: { visual: number; semantic: number }): CollectionSpec {
  return {
    vectors: { [VISUAL]: { size: dims.visual }, [SEMANTIC]: { size: dims.semantic } },
    payloadIndexes: {
      tenantId: 'keyword',
      itemId: 'keyword',
      category: 'keyword',
      price: 'float',
      tags: 'keyword[]',
      availability: 'keyword',
    },
    tenantKey: 'tenantId',
  };
}

/**
 * Collection of a model version: `<alias>__<version slug>`. Vectors of two versions never mix;
 * the alias (default `items`) names the version that serves queries and moves on reindex.
 */
export function collectionForVersion(alias: string, modelVersion: string): string {
  const slug = modelVersion.toLowerCase().replace(/[^a-z0-9_-]+/g, '_');
  const name = `${alias}__${slug}`;
  if (name.length <= 63 && slug.length > 0) return name;
  // Long versions keep a readable prefix and a hash that tells them apart.
  const hash = createHash('sha256').update(modelVersion).digest('hex').slice(0, 10);
  return `${alias}__${slug.slice(0, Math.max(0, 63 - alias.length - 13))}_${hash}`;
}
