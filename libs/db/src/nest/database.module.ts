import { type DynamicModule, Inject, Injectable, Module, type OnApplicationShutdown } from '@nestjs/common';
import type { ReadinessCheckLike } from './readiness';
import { PrismaClient, checkDatabase, createPrismaClient, type DatabaseOptions } from '../prisma';

export const PRISMA_CLIENT = Symbol.for('catalens.PrismaClient');
export const DATABASE_READINESS = Symbol.for('catalens.DatabaseReadiness');

@Injectable()
class PrismaLifecycle implements OnApplicationShutdown {
  constructor(@Inject(PRISMA_CLIENT) private readonly prisma: PrismaClient) {}
  async onApplicationShutdown(): Promise<void> {
    await this.prisma.$disconnect();
  }
}

/** Provides the PrismaClient (PRISMA_CLIENT) and a readiness check for it (DATABASE_READINESS). */
@Module({})
export class DatabaseModule {
  static forRoot(options: DatabaseOptions): DynamicModule {
    return {
      module: DatabaseModule,
      global: true,
      providers: [
        { provide: PRISMA_CLIENT, useFactory: () => createPrismaClient(options) },
        {
          provide: DATABASE_READINESS,
          inject: [PRISMA_CLIENT],
          useFactory: (prisma: PrismaClient): ReadinessCheckLike => ({
            name: 'database',
            check: () => checkDatabase(prisma),
          }),
        },
        PrismaLifecycle,
      ],
      exports: [PRISMA_CLIENT, DATABASE_READINESS],
    };
  }
}
