import { QdrantVectorStore } from '../src';
import { uniqueName } from '../../../test/support/services';
import { vectorStoreContract } from './vector-store.contract';

// No registry ships a Qdrant server, so this suite runs only against one you point it at:
//   QDRANT_URL=http://localhost:6333 npm run test:qdrant
const url = process.env.QDRANT_URL;
if (!url) {
  console.log(
    'Qdrant contract suite skipped: QDRANT_URL is not set (the embedded store ran the same suite).',
  );
}

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
