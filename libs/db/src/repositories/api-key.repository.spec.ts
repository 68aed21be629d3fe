import { generateApiKey, hashApiKey } from '../api-keys/api-key-secret';
import type { PrismaClient } from '../generated/prisma/client';
import { ApiKeyRepository } from './api-key.repository';

const PEPPER = 'unit-test-pepper-0123456789';

/** A fake of the one Prisma call `authenticate` makes, counting reads; rows are editable. */
function fakePrisma(
  rows: Map<string, { id: string; tenantId: string; secretHash: string; revokedAt: Date | null }>,
) {
  const reads = { count: 0 };
  const prisma = {
    apiKey: {
      findUnique: ({ where }: { where: { prefix: string } }) => {
        reads.count++;
        const row = rows.get(where.prefix);
        return Promise.resolve(row ? { ...row, roles: ['search'] } : null);
      },
    },
  } as unknown as PrismaClient;
  return { prisma, reads };
}

describe('ApiKeyRepository.authenticate with a cache', () => {
  const { key, prefix } = generateApiKey();
  const row = {
    id: 'k1',
    tenantId: 't1',
    secretHash: hashApiKey(key, PEPPER),
    revokedAt: null as Date | null,
  };

  it('reads an active key once per TTL and sees a revocation after it', async () => {
    const rows = new Map([[prefix, { ...row }]]);
    const { prisma, reads } = fakePrisma(rows);
    const repo = new ApiKeyRepository(prisma, PEPPER, { ttlMs: 60 });
    expect(await repo.authenticate(key)).toEqual({ keyId: 'k1', tenantId: 't1', roles: ['search'] });
    expect(await repo.authenticate(key)).toBeDefined();
    expect(reads.count).toBe(1);
    rows.get(prefix)!.revokedAt = new Date();
    expect(await repo.authenticate(key)).toBeDefined(); // within the TTL: still trusted
    await new Promise((r) => setTimeout(r, 80));
    expect(await repo.authenticate(key)).toBeUndefined();
    expect(reads.count).toBe(2);
  });

  it('never caches unknown or wrong keys, and reads every time with ttl 0', async () => {
    const rows = new Map([[prefix, { ...row }]]);
    const { prisma, reads } = fakePrisma(rows);
    const cached = new ApiKeyRepository(prisma, PEPPER, { ttlMs: 60_000 });
    const wrong = key.slice(0, -1) + (key.endsWith('a') ? 'b' : 'a');
    expect(await cached.authenticate(wrong)).toBeUndefined();
    expect(await cached.authenticate(wrong)).toBeUndefined();
    expect(reads.count).toBe(2);
    const uncached = new ApiKeyRepository(prisma, PEPPER, { ttlMs: 0 });
    await uncached.authenticate(key);
    await uncached.authenticate(key);
    expect(reads.count).toBe(4);
  });
});
