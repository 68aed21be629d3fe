import { VectorStoreInputError } from '../../errors';
import { validatePoints } from '../../validation';
import type { CollectionSpec } from '../../vector-store.port';
import {
  PAYLOAD_TYPES_METADATA_KEY,
  missingIndexes,
  payloadTypesMetadata,
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
  metadata?: unknown,
): QdrantCollectionInfo => ({
  config: { params: { vectors }, ...(metadata === undefined ? {} : { metadata }) },
  payload_schema,
});
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

  it('names a keyword field recorded as keyword[] (and the reverse), which Qdrant indexes alike', () => {
    const recorded = {
      [PAYLOAD_TYPES_METADATA_KEY]: { tenantId: 'keyword', tags: 'keyword', price: 'float' },
    };
    expect(shapeDifference(info(cosine, { tags: { data_type: 'keyword' } }, recorded), spec)).toBe(
      'payload field "tags" is declared keyword, requested keyword[]',
    );
  });
});

describe('payloadTypesMetadata', () => {
  it('records every indexed field type of the spec, keeping types recorded for other fields', () => {
    expect(
      payloadTypesMetadata(info(cosine, {}, { [PAYLOAD_TYPES_METADATA_KEY]: { old: 'bool' } }), spec),
    ).toEqual({
      [PAYLOAD_TYPES_METADATA_KEY]: { old: 'bool', tenantId: 'keyword', tags: 'keyword[]', price: 'float' },
    });
  });

  it('is null when the collection already records the spec’s types', () => {
    const recorded = { [PAYLOAD_TYPES_METADATA_KEY]: { ...spec.payloadIndexes, other: 'integer' } };
    expect(payloadTypesMetadata(info(cosine, {}, recorded), spec)).toBeNull();
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

  const indexed = { tenantId: { data_type: 'keyword' }, tags: { data_type: 'keyword' } };
  const listPoint = {
    id: '00000000-0000-4000-8000-000000000001',
    vectors: { visual: [1, 0, 0, 0, 0, 0, 0, 0], semantic: [1, 0, 0, 0] },
    payload: { tenantId: 't', tags: ['red', 'wood'] },
  };

  it('reads a list-valued keyword field back as keyword[] where ensureCollection recorded it', () => {
    const read = specFromInfo(info(cosine, indexed, payloadTypesMetadata(info(cosine), spec)));
    expect(read.payloadIndexes).toEqual({ tenantId: 'keyword', tags: 'keyword[]' });
    // What GraphQL does when it rewrites an item's tags without having ensured the collection.
    expect(validatePoints([listPoint], read)).toHaveLength(1);
  });

  it('reads it as keyword where nothing was recorded, so list values are refused', () => {
    const read = specFromInfo(info(cosine, indexed));
    expect(read.payloadIndexes.tags).toBe('keyword');
    expect(() => validatePoints([listPoint], read)).toThrow(VectorStoreInputError);
  });

  it('ignores a recorded type that does not match the index Qdrant reports', () => {
    const read = specFromInfo(
      info(
        cosine,
        { tags: { data_type: 'integer' } },
        { [PAYLOAD_TYPES_METADATA_KEY]: { tags: 'keyword[]' } },
      ),
    );
    expect(read.payloadIndexes.tags).toBe('integer');
  });
});
