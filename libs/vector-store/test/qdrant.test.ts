import { QdrantVectorStore } from '../src';
import { qdrantUnderTest } from '../../../test/support/qdrant';
import { uniqueName } from '../../../test/support/services';
import { vectorStoreContract } from './vector-store.contract';

// The server is a binary beside the checkout (shared/bin), started by scripts/qdrant.sh: `npm test`
// and `npm run test:qdrant` start it and pass QDRANT_URL; any other server works the same way:
//   QDRANT_URL=http://localhost:6333 npm run test:qdrant
const url = qdrantUnderTest('Qdrant contract suite', 'The embedded store ran the same suite.');

(url ? describe : describe.skip)(
  `QdrantVectorStore honours the VectorStore contract (${url ?? 'QDRANT_URL unset'})`,
  () => {
    vectorStoreContract(
      async () => {
        const open = (): QdrantVectorStore =>
          new QdrantVectorStore({
            url: url!,
            ...(process.env.QDRANT_API_KEY ? { apiKey: process.env.QDRANT_API_KEY } : {}),
          });
        return { store: open(), reopen: async () => open() };
      },
      (prefix) => uniqueName(`test-${prefix}`).toLowerCase(),
    );
  },
);
