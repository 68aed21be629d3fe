import { ApiKeyRepository, TenantRepository } from '@catalens/db';
import type { Command } from 'commander';
import { TenantAdminService } from '../admin/tenant-admin.service';
import { loadDatabaseConfig } from '../config';
import { withDatabase } from './with-database';

export function registerTenantCommands(program: Command): void {
  const tenants = program.command('tenants').description('manage tenants');
  tenants
    .command('create')
    .description('create a tenant')
    .requiredOption('--slug <slug>', 'short unique name, e.g. acme')
    .option('--name <name>', 'display name')
    .action(async (options: { slug: string; name?: string }) => {
      const { DATABASE_URL } = loadDatabaseConfig();
      const tenant = await withDatabase(DATABASE_URL, (prisma) =>
        new TenantAdminService(
          new TenantRepository(prisma),
          new ApiKeyRepository(prisma, 'unused'),
        ).createTenant(options.slug, options.name),
      );
      process.stdout.write(`${JSON.stringify({ id: tenant.id, slug: tenant.slug, name: tenant.name })}\n`);
    });
  tenants
    .command('list')
    .description('list tenants as JSON lines')
    .action(async () => {
      const { DATABASE_URL } = loadDatabaseConfig();
      const list = await withDatabase(DATABASE_URL, (prisma) => new TenantRepository(prisma).list());
      for (const t of list)
        process.stdout.write(`${JSON.stringify({ id: t.id, slug: t.slug, name: t.name })}\n`);
    });
}
