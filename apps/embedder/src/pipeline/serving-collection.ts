import { collectionForVersion, itemCollectionSpec } from '@catalens/indexing';
import { VECTOR_STORE, type VectorStore } from '@catalens/vector-store';
import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { EMBEDDER_CONFIG, type EmbedderConfig } from '../config';
import { EmbeddingRuntime } from '../model/embedding-runtime';

/**
 * The collection this model version writes to (`<alias>__<version>`), created on first use.
 * The first version ever indexed also gets the serving alias; later versions are switched to
 * by a reindex once they hold every item, so queries never see a half-built collection.
 */
@Injectable()
export class ServingCollection implements OnApplicationBootstrap {
  private readonly logger = new Logger(ServingCollection.name);
  private ensured: Promise<string> | undefined;

  /**
   * Created at start, not at the first record: a reindex to this version looks for the
   * collection before it publishes anything. A store that is down is retried by the first batch.
   */
  onApplicationBootstrap(): void {
    this.name().catch((error: Error) =>
      this.logger.warn(
        `the vector store is not reachable yet (${error.message}); retrying with the first batch`,
      ),
    );
  }

  constructor(
    @Inject(EMBEDDER_CONFIG) private readonly config: EmbedderConfig,
    @Inject(VECTOR_STORE) private readonly store: VectorStore,
    private readonly runtime: EmbeddingRuntime,
  ) {}

  /** Resolves once the collection exists; a failure is retried on the next call. */
  name(): Promise<string> {
    this.ensured ??= this.ensure().catch((error: unknown) => {
      this.ensured = undefined;
      throw error;
    });
    return this.ensured;
  }

  private async ensure(): Promise<string> {
    const alias = this.config.CATALENS_COLLECTION;
    const name = collectionForVersion(alias, this.runtime.modelVersion);
    const { embedder } = this.runtime;
    await this.store.ensureCollection(
      name,
      itemCollectionSpec({ visual: embedder.visualDim, semantic: embedder.semanticDim }),
    );
    const aliases = await this.store.listAliases();
    if (!aliases[alias]) {
      await this.store.createAlias(alias, name).catch(async (error: unknown) => {
        // Another embedder created it first: fine, as long as it exists now.
        if (!(await this.store.listAliases())[alias]) throw error;
      });
      this.logger.log(`alias ${alias} → ${name} (first model version indexed)`);
    } else if (aliases[alias] !== name) {
      this.logger.warn(
        `alias ${alias} serves ${aliases[alias]}; this embedder writes ${name}. Queries see the new version after \`catalens reindex --to ${this.runtime.modelVersion}\` completes`,
      );
    }
    return name;
  }
}
