import {
  ApiKeyRepository,
  type ApiKeyRole,
  TenantRepository,
  createPrismaClient,
  defaultMigrationsDir,
  migrate,
} from '@catalens/db';

export const TEST_PEPPER = 'integration-test-pepper-0123456789';

/** Migrates the database and creates a tenant with one key per role set asked for. */
export async function seedTenant(
  databaseUrl: string,
  slug: string,
  roleSets: ApiKeyRole[][],
): Promise<{ tenantId: string; keys: string[] }> {
  await migrate(databaseUrl, defaultMigrationsDir());
  const prisma = createPrismaClient({ url: databaseUrl, poolSize: 1 });
  try {
    const tenant = await new TenantRepository(prisma).create(slug, slug);
    const repo = new ApiKeyRepository(prisma, TEST_PEPPER);
    const keys: string[] = [];
    for (const roles of roleSets) keys.push((await repo.create(tenant.id, roles)).key);
    return { tenantId: tenant.id, keys };
  } finally {
    await prisma.$disconnect();
  }
}
