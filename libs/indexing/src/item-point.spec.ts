import { ITEM_SCHEMA_V1, pointId, type ItemEnvelopeV1 } from '@catalens/contracts';
import { collectionForVersion, itemCollectionSpec } from './item-collection';
import { cardOf, itemPayload, itemPoint, payloadChanged, productUrl } from './item-point';

const envelope = (over: Partial<ItemEnvelopeV1['metadata']> = {}): ItemEnvelopeV1 => ({
  schema: ITEM_SCHEMA_V1,
  tenantId: '0b9e4a52-6f1d-4c1e-9a55-2d5f0f7a9c01',
  itemId: '7c4c2a8e-1f0a-4b6e-8d2c-000000000001',
  externalId: 'sku-1',
  contentHash: 'a'.repeat(64),
  image: { mime: 'image/jpeg', width: 2, height: 2, size: 3, bytes: 'AAAA' },
  metadata: {
    title: 'Red dress',
    category: ' Dresses ',
    price: 49.5,
    attributes: { availability: 'In_Stock' },
    ...over,
  },
  producedAt: new Date(0).toISOString(),
});

describe('item points', () => {
  const at = new Date('2026-11-23T00:00:00Z');

  it('carry the filterable fields normalized, tags deduplicated, and the UUIDv5 point id', () => {
    const payload = itemPayload(envelope(), ['dress', 'red', 'dress'], 'enc+head', at);
    expect(payload).toMatchObject({
      category: 'dresses',
      price: 49.5,
      availability: 'in_stock',
      tags: ['dress', 'red'],
      modelVersion: 'enc+head',
    });
    const point = itemPoint(
      envelope(),
      { visual: new Float32Array([1]), semantic: new Float32Array([1]) },
      payload,
    );
    expect(point.id).toBe(pointId(envelope().tenantId, envelope().itemId));
    expect(Object.keys(point.vectors)).toEqual(['visual', 'semantic']);
  });

  it('declare every payload field they carry for filtering as an index of the collection', () => {
    const spec = itemCollectionSpec({ visual: 4, semantic: 2 });
    for (const field of ['tenantId', 'category', 'price', 'tags', 'availability'])
      expect(spec.payloadIndexes).toHaveProperty(field);
    expect(spec.tenantKey).toBe('tenantId');
  });

  it('tell a changed payload from a re-indexed identical one', () => {
    const before = itemPayload(envelope(), ['dress'], 'v', at);
    const later = itemPayload(envelope(), ['dress'], 'v', new Date('2026-12-01T00:00:00Z'));
    expect(payloadChanged(before, later)).toBe(false);
    expect(payloadChanged(before, itemPayload(envelope({ price: 39 }), ['dress'], 'v', at))).toBe(true);
    expect(payloadChanged(before, itemPayload(envelope(), ['dress', 'red'], 'v', at))).toBe(true);
    expect(payloadChanged(before, itemPayload(envelope({ title: 'Blue dress' }), ['dress'], 'v', at))).toBe(
      true,
    );
    // A store may return nested keys in another order (Qdrant sorts them).
    const reordered = {
      ...before,
      card: { url: null, currency: null, category: ' Dresses ', title: 'Red dress' },
    };
    expect(payloadChanged(reordered, later)).toBe(false);
  });

  it('carry the card a result shows, as the row has it, and read it back', () => {
    const payload = itemPayload(
      envelope({ currency: 'EUR', attributes: { url: 'https://shop.example/p/1' } }),
      ['dress'],
      'enc+head',
      at,
    );
    expect(payload.card).toEqual({
      title: 'Red dress',
      category: ' Dresses ',
      currency: 'EUR',
      url: 'https://shop.example/p/1',
    });
    expect(cardOf(JSON.parse(JSON.stringify(payload)))).toEqual({
      itemId: envelope().itemId,
      externalId: 'sku-1',
      title: 'Red dress',
      category: ' Dresses ',
      currency: 'EUR',
      url: 'https://shop.example/p/1',
      price: 49.5,
      contentHash: 'a'.repeat(64),
      modelVersion: 'enc+head',
    });
    // Points written before cards existed, or damaged ones, have none: readers use the row.
    const { card: _card, ...older } = payload;
    expect(cardOf(older)).toBeUndefined();
    expect(cardOf({ ...payload, card: { title: 7 } })).toBeUndefined();
    expect(cardOf(undefined)).toBeUndefined();
  });

  it('take the product page from attributes.url only when it is an http(s) URL', () => {
    expect(productUrl({ url: 'https://shop.example/p?id=1' })).toBe('https://shop.example/p?id=1');
    expect(productUrl({ url: 'http://shop.example/p' })).toBe('http://shop.example/p');
    for (const url of [
      'javascript:alert(1)',
      '/relative',
      'not a url',
      42,
      `https://x.example/${'a'.repeat(2100)}`,
    ])
      expect(productUrl({ url })).toBeNull();
    expect(productUrl(undefined)).toBeNull();
  });
});

describe('collectionForVersion', () => {
  it('names a valid collection per version, distinct for distinct versions however long', () => {
    expect(collectionForVersion('items', 'efficientnet-lite0-224+conse-t10')).toBe(
      'items__efficientnet-lite0-224_conse-t10',
    );
    const long = (n: number) => `model-${'x'.repeat(80)}+head-${n}`;
    const a = collectionForVersion('items', long(1));
    const b = collectionForVersion('items', long(2));
    expect(a).not.toBe(b);
    for (const name of [a, b]) expect(name).toMatch(/^[a-z][a-z0-9_-]{0,62}$/);
  });
});
