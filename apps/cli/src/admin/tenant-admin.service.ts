import {
  API_KEY_ROLES,
  ApiKeyRepository,
  type ApiKeyRole,
  type CreatedApiKey,
  TenantRepository,
  type TenantRecord,
} from '@catalens/db';

export class CliUsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CliUsageError';
  }
}

const SLUG = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/** Tenant and API-key administration, shared by the CLI (and later the admin API). */
export class TenantAdminService {
  constructor(
    private readonly tenants: TenantRepository,
    private readonly keys: ApiKeyRepository,
  ) {}

  async createTenant(slug: string, name?: string): Promise<TenantRecord> {
    if (!SLUG.test(slug)) {
      throw new CliUsageError(
        `--slug "${slug.slice(0, 40)}" is not valid: use 1-63 lowercase letters, digits and inner hyphens`,
      );
    }
    return this.tenants.create(slug, name?.trim() || slug);
  }

  listTenants(): Promise<TenantRecord[]> {
    return this.tenants.list();
  }

  async createKey(
    tenantRef: string,
    rolesCsv: string,
    name?: string,
  ): Promise<CreatedApiKey & { tenant: TenantRecord }> {
    const roles = parseRoles(rolesCsv);
    const tenant = await this.tenants.get(tenantRef);
    return { ...(await this.keys.create(tenant.id, roles, name)), tenant };
  }

  revokeKey(ref: string) {
    return this.keys.revoke(ref);
  }

  async listKeys(tenantRef: string) {
    const tenant = await this.tenants.get(tenantRef);
    return this.keys.list(tenant.id);
  }
}

export function parseRoles(csv: string): ApiKeyRole[] {
  const roles = [
    ...new Set(
      csv
        .split(',')
        .map((r) => r.trim())
        .filter(Boolean),
    ),
  ];
  const unknown = roles.filter((r) => !(API_KEY_ROLES as readonly string[]).includes(r));
  if (roles.length === 0 || unknown.length > 0) {
    throw new CliUsageError(
      `--roles ${unknown.length ? `has unknown role(s) ${unknown.join(', ')}` : 'is empty'}; choose from ${API_KEY_ROLES.join(', ')}`,
    );
  }
  return roles as ApiKeyRole[];
}
