import type { CollectionSpec } from '../../vector-store.port';
import {
  missingIndexes,
  shapeDifference,
  specFromInfo,
  type QdrantCollectionInfo,
} from './qdrant-collection-shape';

const spec: CollectionSpec = {
  vectors: { visual: { size: 8 }, semantic: { size: 4 } },
  payloadIndexes: { tenantId: 'keyword', tags: 'keyword[]', price: 'float' },
  tenantKey: 'tenantId',
};
const info = (
  vectors: unknown,
  payload_schema: QdrantCollectionInfo['payload_schema'] = {},
): QdrantCollectionInfo => ({ config: { params: { vectors } }, payload_schema });
const cosine = { visual: { size: 8, distance: 'Cosine' }, semantic: { size: 4, distance: 'Cosine' } };

describe('shapeDifference', () => {
  it('accepts a fresh collection that has none of the payload indexes yet', () => {
    expect(shapeDifference(info(cosine), spec)).toBeNull();
    expect(missingIndexes(info(cosine), spec).map(([k]) => k)).toEqual(['tenantId', 'tags', 'price']);
  });

  it('accepts the tenant index with or without is_tenant, and keyword for keyword[]', () => {
    const indexed = info(cosine, {
      tenantId: { data_type: 'keyword' },
      tags: { data_type: 'keyword', params: { type: 'keyword', is_tenant: true } },
      price: { data_type: 'float' },
    });
    expect(shapeDifference(indexed, spec)).toBeNull();
    expect(missingIndexes(indexed, spec)).toEqual([]);
  });

  it('names a vector of another size, another distance, or a missing or extra vector', () => {
    expect(shapeDifference(info({ ...cosine, visual: { size: 16, distance: 'Cosine' } }), spec)).toBe(
      'vector "visual" has size 16, requested 8',
    );
    expect(shapeDifference(info({ ...cosine, semantic: { size: 4, distance: 'Dot' } }), spec)).toBe(
      'vector "semantic" uses Dot distance, requested Cosine',
    );
    expect(shapeDifference(info({ visual: cosine.visual, audio: cosine.semantic }), spec)).toBe(
      'vectors [audio, visual], requested [semantic, visual]',
    );
  });

  it('refuses a collection with one unnamed vector', () => {
    expect(shapeDifference(info({ size: 8, distance: 'Cosine' }), spec)).toMatch(/unnamed vector/);
  });

  it('names a payload field indexed with another type', () => {
    expect(shapeDifference(info(cosine, { price: { data_type: 'integer' } }), spec)).toBe(
      'payload field "price" is indexed as integer, requested float',
    );
  });
});

describe('specFromInfo', () => {
  it('reads vectors, index types and the tenant key', () => {
    expect(
      specFromInfo(
        info(cosine, {
          tenantId: { data_type: 'keyword', params: { type: 'keyword', is_tenant: true } },
          price: { data_type: 'float' },
          body: { data_type: 'text' },
        }),
      ),
    ).toEqual({
      vectors: { visual: { size: 8 }, semantic: { size: 4 } },
      payloadIndexes: { tenantId: 'keyword', price: 'float' },
      tenantKey: 'tenantId',
    });
  });
});
