import { type DynamicModule, Inject, Injectable, Module, type OnApplicationShutdown } from '@nestjs/common';
import { Counter, type Registry } from 'prom-client';
import type { ReadinessCheckLike } from './readiness';
import { PrismaClient, checkDatabase, createPrismaClient, type DatabaseOptions } from '../prisma';

export const PRISMA_CLIENT = Symbol.for('catalens.PrismaClient');

const KINDS = new Set(['select', 'insert', 'update', 'delete', 'begin', 'commit', 'rollback']);
/** `select`, `insert`, … (first keyword; `other` for anything else): a label of bounded cardinality. */
export const statementKind = (sql: string): string => {
  const word = /^\s*(\w+)/.exec(sql)?.[1]?.toLowerCase() ?? '';
  return KINDS.has(word) ? word : 'other';
};
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
  /** `shared`: a client the host process made instead (see forClient). */
  static forRoot(options: DatabaseOptions, shared?: PrismaClient): DynamicModule {
    if (shared) return DatabaseModule.forClient(shared);
    return {
      module: DatabaseModule,
      global: true,
      providers: [
        {
          provide: PRISMA_CLIENT,
          // The app's metrics registry when it has one (same Symbol.for key as @catalens/observability).
          inject: [{ token: Symbol.for('catalens.MetricsRegistry'), optional: true }],
          useFactory: (registry?: Registry) => {
            if (!registry) return createPrismaClient(options);
            const queries = new Counter({
              name: 'catalens_db_queries_total',
              help: 'SQL statements sent to the database, by statement kind',
              labelNames: ['statement'],
              registers: [registry],
            });
            return createPrismaClient({
              ...options,
              onQuery: (sql) => queries.inc({ statement: statementKind(sql) }),
            });
          },
        },
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

  /** A client created and disconnected by someone else (the one-process mode shares one). */
  static forClient(prisma: PrismaClient): DynamicModule {
    return {
      module: DatabaseModule,
      global: true,
      providers: [
        { provide: PRISMA_CLIENT, useValue: prisma },
        {
          provide: DATABASE_READINESS,
          useValue: { name: 'database', check: () => checkDatabase(prisma) } satisfies ReadinessCheckLike,
        },
      ],
      exports: [PRISMA_CLIENT, DATABASE_READINESS],
    };
  }
}
