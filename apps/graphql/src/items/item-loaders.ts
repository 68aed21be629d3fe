import type { ItemQueryRepository, TagRow } from '@catalens/db';
import DataLoader from 'dataloader';

/**
 * DataLoaders of one request: every `Item.tags` of a page is answered by one query. Keyed per
 * tenant, so a loader never mixes tenants even if a request could name two.
 */
export class RequestLoaders {
  private readonly tags = new Map<string, DataLoader<string, TagRow[]>>();

  constructor(private readonly items: ItemQueryRepository) {}

  tagsOf(tenantId: string): DataLoader<string, TagRow[]> {
    let loader = this.tags.get(tenantId);
    if (!loader) {
      loader = new DataLoader(async (ids) => {
        const byItem = await this.items.tagsOf(tenantId, ids);
        return ids.map((id) => byItem.get(id) ?? []);
      });
      this.tags.set(tenantId, loader);
    }
    return loader;
  }
}
