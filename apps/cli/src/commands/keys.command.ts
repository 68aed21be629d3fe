import { ApiKeyRepository, TenantRepository } from '@catalens/db';
import type { Command } from 'commander';
import { TenantAdminService } from '../admin/tenant-admin.service';
import { loadKeysConfig } from '../config';
import { withDatabase } from './with-database';

async function withAdmin<T>(work: (admin: TenantAdminService) => Promise<T>): Promise<T> {
  const { DATABASE_URL, API_KEY_PEPPER } = loadKeysConfig();
  return withDatabase(DATABASE_URL, (prisma) =>
    work(new TenantAdminService(new TenantRepository(prisma), new ApiKeyRepository(prisma, API_KEY_PEPPER))),
  );
}

export function registerKeyCommands(program: Command): void {
  const keys = program.command('keys').description('manage API keys (stored as keyed hashes; shown once)');
  keys
    .command('create')
    .description('create an API key for a tenant and print it once')
    .requiredOption('--tenant <slug|id>', 'the tenant the key acts for')
    .requiredOption('--roles <roles>', 'comma-separated: ingest,search,curate,admin')
    .option('--name <name>', 'a label to recognise the key by')
    .action(async (options: { tenant: string; roles: string; name?: string }) => {
      const created = await withAdmin((admin) =>
        admin.createKey(options.tenant, options.roles, options.name),
      );
      process.stderr.write('Store this key now: it cannot be shown again.\n');
      process.stdout.write(
        `${JSON.stringify({ key: created.key, id: created.id, prefix: created.prefix, tenant: created.tenant.slug, roles: created.roles })}\n`,
      );
    });
  keys
    .command('revoke')
    .description('revoke an API key by id or prefix')
    .argument('<idOrPrefix>')
    .action(async (ref: string) => {
      const revoked = await withAdmin((admin) => admin.revokeKey(ref));
      process.stdout.write(`${JSON.stringify({ revoked: revoked.id, prefix: revoked.prefix })}\n`);
    });
  keys
    .command('list')
    .description("list a tenant's keys (never the secrets) as JSON lines")
    .requiredOption('--tenant <slug|id>')
    .action(async (options: { tenant: string }) => {
      for (const k of await withAdmin((admin) => admin.listKeys(options.tenant))) {
        process.stdout.write(`${JSON.stringify(k)}\n`);
      }
    });
}
