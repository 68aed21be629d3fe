import { ItemQueryRepository, type StoredItem } from '@catalens/db';
import { SEMANTIC } from '@catalens/indexing';
import {
  CollectionNotFoundError,
  VECTOR_STORE,
  VectorStoreUnavailableError,
  type StoredPoint,
  type VectorStore,
} from '@catalens/vector-store';
import { projectTo2d } from '@catalens/vision';
import { Inject, Injectable } from '@nestjs/common';
import { apiError } from '../common/api-errors';
import { GRAPHQL_CONFIG, type GraphqlConfig } from '../config';
import { MapColor } from './embedding-map.models';

export const MAP_MAX_POINTS = 5_000;
const PAGE = 500;

export interface MapView {
  points: { x: number; y: number; label: string; item: StoredItem }[];
  labels: string[];
  sampled: number;
  explainedVariance: number;
}

/** Share of the total variance of `rows` that the 2-D projection keeps. */
function explained(rows: readonly Float32Array[], projected: readonly [number, number][]): number {
  const d = rows[0]?.length ?? 0;
  const mean = new Float64Array(d);
  for (const r of rows) for (let k = 0; k < d; k++) mean[k]! += r[k]! / rows.length;
  let total = 0;
  for (const r of rows) for (let k = 0; k < d; k++) total += (r[k]! - mean[k]!) ** 2;
  const kept = projected.reduce((s, [x, y]) => s + x * x + y * y, 0);
  return total === 0 ? 0 : Math.min(1, kept / total);
}

/** The embedding map of the dashboard: the tenant's semantic vectors, read from the store, projected. */
@Injectable()
export class EmbeddingMapService {
  constructor(
    @Inject(GRAPHQL_CONFIG) private readonly config: GraphqlConfig,
    @Inject(VECTOR_STORE) private readonly store: VectorStore,
    private readonly items: ItemQueryRepository,
  ) {}

  private async read(tenantId: string, first: number): Promise<StoredPoint[]> {
    const points: StoredPoint[] = [];
    let cursor: string | undefined;
    try {
      do {
        const page = await this.store.scroll(this.config.CATALENS_COLLECTION, {
          filter: { must: [{ key: 'tenantId', match: tenantId }] },
          limit: Math.min(PAGE, first - points.length),
          withVectors: true,
          ...(cursor ? { cursor } : {}),
        });
        points.push(...page.points);
        cursor = page.nextCursor ?? undefined;
      } while (cursor && points.length < first);
    } catch (error) {
      if (error instanceof CollectionNotFoundError) return [];
      if (error instanceof VectorStoreUnavailableError)
        throw apiError('SERVICE_UNAVAILABLE', 'the search index is unavailable; retry shortly');
      throw error;
    }
    return points;
  }

  async map(tenantId: string, colorBy: MapColor, maxPoints: number): Promise<MapView> {
    if (!Number.isInteger(maxPoints) || maxPoints < 2 || maxPoints > MAP_MAX_POINTS)
      throw apiError('BAD_USER_INPUT', `maxPoints: between 2 and ${MAP_MAX_POINTS}`, 'maxPoints');
    const points = (await this.read(tenantId, maxPoints)).filter((p) => p.vectors?.[SEMANTIC]?.length);
    const rows = await this.items.byIds(
      tenantId,
      points.map((p) => String(p.payload.itemId)),
    );
    const kept = points.flatMap((p) => {
      const item = rows.get(String(p.payload.itemId));
      return item ? [{ point: p, item }] : [];
    });
    if (kept.length < 2) return { points: [], labels: [], sampled: points.length, explainedVariance: 0 };
    const vectors = kept.map(({ point }) => Float32Array.from(point.vectors?.[SEMANTIC] ?? []));
    const projected = projectTo2d(vectors);
    const label = ({ point, item }: (typeof kept)[number]): string => {
      if (colorBy === MapColor.CATEGORY) return item.category?.trim().toLowerCase() || 'none';
      const tags = point.payload.tags;
      return Array.isArray(tags) && typeof tags[0] === 'string' ? tags[0] : 'none';
    };
    const mapped = kept.map((entry, i) => ({
      x: projected[i]?.[0] ?? 0,
      y: projected[i]?.[1] ?? 0,
      label: label(entry),
      item: entry.item,
    }));
    const counts = new Map<string, number>();
    for (const p of mapped) counts.set(p.label, (counts.get(p.label) ?? 0) + 1);
    return {
      points: mapped,
      labels: [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([l]) => l),
      sampled: points.length,
      explainedVariance: explained(vectors, projected),
    };
  }
}
