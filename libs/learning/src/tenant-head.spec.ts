import type { SemanticHeadRecord } from '@catalens/db';
import { ActiveHeads, TenantHead } from './tenant-head';

const record = (version: number, visualModel = 'enc'): SemanticHeadRecord => ({
  id: `h${version}`,
  tenantId: 't',
  version,
  state: 'active',
  visualModel,
  visualDim: 2,
  semanticDim: 2,
  // visual (x, y) → semantic (y, x)
  kernel: Float32Array.from([0, 1, 1, 0]),
  labels: [],
  report: {},
  createdAt: new Date(),
  promotedAt: new Date(),
});

/** A fake of the one repository read ActiveHeads makes, counting reads. */
function fakeRepository(head: () => SemanticHeadRecord | undefined) {
  const reads = { count: 0 };
  return {
    reads,
    repository: {
      active: () => {
        reads.count++;
        return Promise.resolve(head());
      },
    },
  };
}

describe('TenantHead', () => {
  it('projects visual vectors with its kernel, normalized, and is named by its version', () => {
    const head = new TenantHead(record(3));
    expect(head.id).toBe('tenant-v3');
    expect([...head.project(Float32Array.from([3, 4]))]).toEqual([0.800000011920929, 0.6000000238418579]);
    expect(() => head.project(Float32Array.from([1, 2, 3]))).toThrow(/expects 2-d visual vectors/);
  });
});

describe('ActiveHeads', () => {
  it('reads a tenant head once per TTL, sees a change after it, and forgets on invalidate', async () => {
    let current: SemanticHeadRecord | undefined = record(1);
    const { repository, reads } = fakeRepository(() => current);
    const heads = new ActiveHeads(repository, () => 'enc', 50);
    expect((await heads.forTenant('t'))?.id).toBe('tenant-v1');
    current = undefined;
    expect((await heads.forTenant('t'))?.id).toBe('tenant-v1');
    expect(reads.count).toBe(1);
    heads.invalidate('t');
    expect(await heads.forTenant('t')).toBeNull();
    current = record(2);
    await new Promise((r) => setTimeout(r, 70));
    expect((await heads.forTenant('t'))?.id).toBe('tenant-v2');
  });

  it('ignores a head trained on another image model', async () => {
    const { repository } = fakeRepository(() => record(1, 'other-encoder'));
    expect(await new ActiveHeads(repository, () => 'enc').forTenant('t')).toBeNull();
    expect(await new ActiveHeads(repository, () => null).forTenant('t')).not.toBeNull();
  });
});
