import {
  type DynamicModule,
  Inject,
  Injectable,
  Logger,
  Module,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { createVectorStore, type VectorStoreConfig } from '../create-vector-store';
import { VECTOR_STORE, type VectorStore } from '../vector-store.port';

export const VECTOR_STORE_READINESS = Symbol.for('catalens.VectorStoreReadiness');

@Injectable()
class VectorStoreLifecycle implements OnApplicationShutdown {
  constructor(@Inject(VECTOR_STORE) private readonly store: VectorStore) {}
  async onApplicationShutdown(): Promise<void> {
    await this.store.close();
  }
}

/**
 * Provides the VectorStore port (Qdrant, a store server, or the embedded store, by configuration)
 * and a readiness check for it; closes it on shutdown.
 */
@Module({})
export class VectorStoreModule {
  /** `shared`: a store the host process opened instead (see forInstance). */
  static forRoot(config: VectorStoreConfig, shared?: VectorStore): DynamicModule {
    if (shared) return VectorStoreModule.forInstance(shared);
    return {
      module: VectorStoreModule,
      global: true,
      providers: [
        {
          provide: VECTOR_STORE,
          // The embedded store's recoveries (docs/decisions/0004) go to the app's log.
          useFactory: () => {
            const logger = new Logger('VectorStore');
            return createVectorStore(config, { warn: (message) => logger.warn(message) });
          },
        },
        {
          provide: VECTOR_STORE_READINESS,
          inject: [VECTOR_STORE],
          useFactory: (store: VectorStore) => ({ name: 'vector-store', check: () => store.checkHealth() }),
        },
        VectorStoreLifecycle,
      ],
      exports: [VECTOR_STORE, VECTOR_STORE_READINESS],
    };
  }

  /** A store opened and closed by someone else (the one-process mode shares one embedded store). */
  static forInstance(store: VectorStore): DynamicModule {
    return {
      module: VectorStoreModule,
      global: true,
      providers: [
        { provide: VECTOR_STORE, useValue: store },
        {
          provide: VECTOR_STORE_READINESS,
          useValue: { name: 'vector-store', check: () => store.checkHealth() },
        },
      ],
      exports: [VECTOR_STORE, VECTOR_STORE_READINESS],
    };
  }
}
