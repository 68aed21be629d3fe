import { createPrismaClient, type PrismaClient } from '@catalens/db';

/** Runs `work` with a Prisma client that is always closed afterwards. */
export async function withDatabase<T>(url: string, work: (prisma: PrismaClient) => Promise<T>): Promise<T> {
  const prisma = createPrismaClient({ url, poolSize: 2 });
  try {
    return await work(prisma);
  } finally {
    await prisma.$disconnect();
  }
}
