import fc from 'fast-check';
import { itemKey, pointId } from './ids';

describe('ids', () => {
  it('keys a record by tenant and item', () => {
    expect(itemKey('t', 'i')).toBe('t/i');
  });

  it('derives the same point id for the same tenant and item, and different ones otherwise', () => {
    fc.assert(
      fc.property(fc.uuid(), fc.uuid(), fc.uuid(), (tenant, itemA, itemB) => {
        expect(pointId(tenant, itemA)).toBe(pointId(tenant, itemA));
        if (itemA !== itemB) expect(pointId(tenant, itemA)).not.toBe(pointId(tenant, itemB));
        expect(pointId(tenant, itemA)).toMatch(/^[0-9a-f-]{36}$/);
      }),
    );
  });
});
