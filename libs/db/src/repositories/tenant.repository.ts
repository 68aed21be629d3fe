import type { PrismaClient } from '../generated/prisma/client';

export interface TenantRecord {
  id: string;
  slug: string;
  name: string;
  createdAt: Date;
}

export class TenantAlreadyExistsError extends Error {
  constructor(readonly slug: string) {
    super(`tenant "${slug}" already exists; pick another slug or use the existing tenant`);
    this.name = 'TenantAlreadyExistsError';
  }
}

export class TenantNotFoundError extends Error {
  constructor(readonly ref: string) {
    super(`no tenant with slug or id "${ref}"; list tenants with \`catalens tenants list\``);
    this.name = 'TenantNotFoundError';
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export class TenantRepository {
  constructor(private readonly prisma: PrismaClient) {}

  async create(slug: string, name: string): Promise<TenantRecord> {
    const existing = await this.prisma.tenant.findUnique({ where: { slug } });
    if (existing) throw new TenantAlreadyExistsError(slug);
    return this.prisma.tenant.create({ data: { slug, name } });
  }

  /** By slug, or by id when the reference is a UUID. */
  async get(ref: string): Promise<TenantRecord> {
    const tenant = UUID.test(ref)
      ? await this.prisma.tenant.findFirst({ where: { OR: [{ id: ref }, { slug: ref }] } })
      : await this.prisma.tenant.findUnique({ where: { slug: ref } });
    if (!tenant) throw new TenantNotFoundError(ref);
    return tenant;
  }

  async list(): Promise<TenantRecord[]> {
    return this.prisma.tenant.findMany({ orderBy: { createdAt: 'asc' } });
  }
}
