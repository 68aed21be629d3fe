import { defineConfig } from 'prisma/config';

// The datasource URL is only needed by Prisma CLI commands that talk to a database
// (`prisma migrate deploy` where the schema engine is available). catalens applies
// migrations itself: see docs/decisions/0002-migrations-offline.md.
export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  datasource: { url: process.env.DATABASE_URL ?? 'postgresql://catalens@127.0.0.1:5432/catalens' },
});
