import { DATABASE_READINESS, DatabaseModule } from '@catalens/db';
import { ObservabilityModule, type ReadinessCheck } from '@catalens/observability';
import { type DynamicModule, Module } from '@nestjs/common';
import { GRAPHQL_CONFIG, type GraphqlConfig } from './config';

@Module({})
export class GraphqlAppModule {
  static forRoot(config: GraphqlConfig): DynamicModule {
    return {
      module: GraphqlAppModule,
      imports: [
        ObservabilityModule.forRoot({
          app: 'graphql',
          logLevel: config.LOG_LEVEL,
          readiness: { inject: [DATABASE_READINESS], useFactory: (...checks: ReadinessCheck[]) => checks },
        }),
        DatabaseModule.forRoot({ url: config.DATABASE_URL, poolSize: config.DATABASE_POOL_SIZE }),
      ],
      providers: [{ provide: GRAPHQL_CONFIG, useValue: config }],
    };
  }
}
