import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ApiKeyRepository, type PrismaClient, TenantNotFoundError, TenantRepository } from '@catalens/db';

export const DEMO_TENANT = 'demo';

export interface DemoKeys {
  tenantId: string;
  /** Every role: ingest, search, curate, admin (the dashboard). */
  admin: string;
  /** Search only: what a storefront page embeds (the widget). */
  search: string;
}

/** The API-key pepper of this data directory, made on first start (`API_KEY_PEPPER` wins when set). */
export function ensurePepper(dataDir: string, fromEnv: string | undefined): string {
  if (fromEnv) return fromEnv;
  const file = join(dataDir, 'api-key-pepper');
  if (!existsSync(file)) writeFileSync(file, randomBytes(32).toString('hex'), { mode: 0o600 });
  return readFileSync(file, 'utf8').trim();
}

/**
 * The `demo` tenant and its two keys. Keys are shown once at creation, so they are kept in
 * `<dataDir>/demo-api-keys.json` (mode 600); keys that no longer authenticate (another pepper, a
 * revocation) are replaced.
 */
export async function ensureDemoTenant(
  prisma: PrismaClient,
  dataDir: string,
  pepper: string,
): Promise<DemoKeys> {
  const tenants = new TenantRepository(prisma);
  const keys = new ApiKeyRepository(prisma, pepper);
  let tenant;
  try {
    tenant = await tenants.get(DEMO_TENANT);
  } catch (error) {
    if (!(error instanceof TenantNotFoundError)) throw error;
    tenant = await tenants.create(DEMO_TENANT, 'Demo catalog');
  }
  const file = join(dataDir, 'demo-api-keys.json');
  if (existsSync(file)) {
    const saved = JSON.parse(readFileSync(file, 'utf8')) as Partial<DemoKeys>;
    if (
      saved.admin &&
      saved.search &&
      (await keys.authenticate(saved.admin))?.tenantId === tenant.id &&
      (await keys.authenticate(saved.search))?.tenantId === tenant.id
    )
      return { tenantId: tenant.id, admin: saved.admin, search: saved.search };
  }
  const admin = await keys.create(
    tenant.id,
    ['ingest', 'search', 'curate', 'admin'],
    'npm start (all roles)',
  );
  const search = await keys.create(tenant.id, ['search'], 'npm start (storefront widget)');
  const demo = { tenantId: tenant.id, admin: admin.key, search: search.key };
  writeFileSync(file, `${JSON.stringify(demo, null, 2)}\n`, { mode: 0o600 });
  return demo;
}
