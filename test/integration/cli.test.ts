import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { ApiKeyRepository, createPrismaClient, defaultMigrationsDir, readMigrations } from '@catalens/db';
import { type TestDatabase, freshDatabase } from '../support/databases';
import { REPO_ROOT } from '../support/services';

const exec = promisify(execFile);
jest.setTimeout(60_000);

describe('catalens CLI against a real PostgreSQL', () => {
  let db: TestDatabase;
  const pepper = 'cli-test-pepper-0123456789';
  const cli = (args: string[]) =>
    exec(process.execPath, [resolve(REPO_ROOT, 'apps/cli/dist/main.js'), ...args], {
      env: { PATH: process.env.PATH, DATABASE_URL: db.url, API_KEY_PEPPER: pepper },
    });
  const cliFailure = async (args: string[]) => {
    try {
      await cli(args);
    } catch (error) {
      return error as { code: number; stderr: string };
    }
    throw new Error(`catalens ${args.join(' ')} should have failed`);
  };

  beforeAll(async () => {
    db = await freshDatabase('cli');
  });
  afterAll(async () => {
    await db.drop();
  });

  it('migrates, creates a tenant and a key that authenticates until it is revoked', async () => {
    const count = readMigrations(defaultMigrationsDir()).length;
    expect(count).toBeGreaterThanOrEqual(3);
    expect((await cli(['migrate'])).stdout).toContain(`migrations: ${count} applied, 0 already applied`);
    expect((await cli(['migrate'])).stdout).toContain(`0 applied, ${count} already applied`);

    const tenant = JSON.parse(
      (await cli(['tenants', 'create', '--slug', 'acme', '--name', 'Acme Shoes'])).stdout,
    );
    expect(tenant).toMatchObject({ slug: 'acme', name: 'Acme Shoes' });

    const created = JSON.parse(
      (await cli(['keys', 'create', '--tenant', 'acme', '--roles', 'ingest,search'])).stdout,
    );
    expect(created.key).toMatch(/^clk_/);
    expect(created.roles).toEqual(['ingest', 'search']);

    const prisma = createPrismaClient({ url: db.url, poolSize: 1 });
    try {
      const keys = new ApiKeyRepository(prisma, pepper);
      expect(await keys.authenticate(created.key)).toEqual({
        keyId: created.id,
        tenantId: tenant.id,
        roles: ['ingest', 'search'],
      });
      const stored = await prisma.apiKey.findUniqueOrThrow({ where: { id: created.id } });
      expect(stored.secretHash).not.toContain(created.key.split('_')[2]);
      expect(
        await new ApiKeyRepository(prisma, 'another-pepper-xxxxxxxx').authenticate(created.key),
      ).toBeUndefined();

      const listed = (await cli(['keys', 'list', '--tenant', 'acme'])).stdout;
      expect(listed).toContain(created.prefix);
      expect(listed).not.toContain(created.key);

      await cli(['keys', 'revoke', created.prefix]);
      expect(await keys.authenticate(created.key)).toBeUndefined();
    } finally {
      await prisma.$disconnect();
    }
  });

  it('answers user mistakes with exit code 2 and a message saying what to do', async () => {
    const duplicate = await cliFailure(['tenants', 'create', '--slug', 'acme']);
    expect(duplicate.code).toBe(2);
    expect(duplicate.stderr).toContain('tenant "acme" already exists');

    const badRole = await cliFailure(['keys', 'create', '--tenant', 'acme', '--roles', 'ingest,superuser']);
    expect(badRole.code).toBe(2);
    expect(badRole.stderr).toContain('unknown role(s) superuser; choose from ingest, search, curate, admin');

    const noTenant = await cliFailure(['keys', 'create', '--tenant', 'nobody', '--roles', 'search']);
    expect(noTenant.stderr).toContain('no tenant with slug or id "nobody"');

    const badSlug = await cliFailure(['tenants', 'create', '--slug', 'Not A Slug']);
    expect(badSlug.stderr).toContain('--slug "Not A Slug" is not valid');
  });

  it('refuses to start without a database URL and names the variable', async () => {
    try {
      await exec(process.execPath, [resolve(REPO_ROOT, 'apps/cli/dist/main.js'), 'migrate'], {
        env: { PATH: process.env.PATH },
      });
      throw new Error('should have failed');
    } catch (error) {
      expect((error as { code: number }).code).toBe(2);
      expect((error as { stderr: string }).stderr).toContain('DATABASE_URL is required but not set');
    }
  });
});
