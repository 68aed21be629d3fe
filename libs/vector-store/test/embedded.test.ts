import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EmbeddedVectorStore } from '../src';
import { uniqueName } from '../../../test/support/services';
import { vectorStoreContract } from './vector-store.contract';

describe('EmbeddedVectorStore (zvec) honours the VectorStore contract', () => {
  const directory = mkdtempSync(join(tmpdir(), 'catalens-vectors-'));
  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  let current: EmbeddedVectorStore | undefined;
  vectorStoreContract(
    async () => {
      current = new EmbeddedVectorStore({ directory });
      return {
        store: current,
        reopen: async () => {
          await current!.close();
          current = new EmbeddedVectorStore({ directory });
          return current;
        },
      };
    },
    (prefix) => uniqueName(prefix).toLowerCase(),
  );
});
