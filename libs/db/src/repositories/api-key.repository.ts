import { LRUCache } from 'lru-cache';
import type { PrismaClient } from '../generated/prisma/client';
import {
  type ApiKeyRole,
  apiKeyMatches,
  generateApiKey,
  hashApiKey,
  parseApiKey,
} from '../api-keys/api-key-secret';

export interface ApiKeyPrincipal {
  keyId: string;
  tenantId: string;
  roles: ApiKeyRole[];
}

export interface CreatedApiKey {
  id: string;
  prefix: string;
  /** The only time the whole key exists outside its owner's hands. */
  key: string;
  roles: ApiKeyRole[];
}

export class ApiKeyNotFoundError extends Error {
  constructor(readonly ref: string) {
    super(`no API key with id or prefix "${ref}"`);
    this.name = 'ApiKeyNotFoundError';
  }
}

export interface ApiKeyCacheOptions {
  /** How long an authenticated key is trusted without reading its row (0: never cached). */
  ttlMs: number;
  /** Most keys remembered. */
  max?: number;
}

export class ApiKeyRepository {
  /** Active keys by their hash: a revocation is seen within `ttlMs`. Unknown keys are not cached. */
  private readonly cache?: LRUCache<string, ApiKeyPrincipal>;

  constructor(
    private readonly prisma: PrismaClient,
    private readonly pepper: string,
    cache?: ApiKeyCacheOptions,
  ) {
    if (cache && cache.ttlMs > 0) this.cache = new LRUCache({ max: cache.max ?? 10_000, ttl: cache.ttlMs });
  }

  async create(tenantId: string, roles: ApiKeyRole[], name?: string): Promise<CreatedApiKey> {
    const { key, prefix } = generateApiKey();
    const row = await this.prisma.apiKey.create({
      data: { tenantId, roles, name: name ?? null, prefix, secretHash: hashApiKey(key, this.pepper) },
    });
    return { id: row.id, prefix, key, roles };
  }

  /** The principal of an active key, or undefined for unknown, malformed or revoked keys. */
  async authenticate(key: string): Promise<ApiKeyPrincipal | undefined> {
    const parsed = parseApiKey(key);
    if (!parsed) return undefined;
    const hash = this.cache ? hashApiKey(key, this.pepper) : '';
    const cached = this.cache?.get(hash);
    if (cached) return cached;
    const row = await this.prisma.apiKey.findUnique({ where: { prefix: parsed.prefix } });
    if (!row || row.revokedAt || !apiKeyMatches(key, row.secretHash, this.pepper)) return undefined;
    const principal = { keyId: row.id, tenantId: row.tenantId, roles: row.roles };
    this.cache?.set(hash, principal);
    return principal;
  }

  /** Revokes by id or prefix; revoking twice is harmless. */
  async revoke(ref: string): Promise<{ id: string; prefix: string }> {
    const row = await this.prisma.apiKey.findFirst({
      where: { OR: [{ prefix: ref }, ...(/^[0-9a-f-]{36}$/i.test(ref) ? [{ id: ref }] : [])] },
    });
    if (!row) throw new ApiKeyNotFoundError(ref);
    if (!row.revokedAt)
      await this.prisma.apiKey.update({ where: { id: row.id }, data: { revokedAt: new Date() } });
    return { id: row.id, prefix: row.prefix };
  }

  async list(tenantId: string) {
    return this.prisma.apiKey.findMany({
      where: { tenantId },
      select: { id: true, prefix: true, name: true, roles: true, createdAt: true, revokedAt: true },
      orderBy: { createdAt: 'asc' },
    });
  }
}
