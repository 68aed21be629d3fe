import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  EmbeddedVectorStore,
  RemoteVectorStore,
  VectorStoreUnavailableError,
  serveVectorStore,
  type RunningVectorStoreServer,
} from '../src';
import { uniqueName } from '../../../test/support/services';
import { vectorStoreContract } from './vector-store.contract';

const TOKEN = 'remote-store-test-token-0123456789';

describe('RemoteVectorStore → store server → EmbeddedVectorStore honours the VectorStore contract', () => {
  const directory = mkdtempSync(join(tmpdir(), 'catalens-remote-'));
  let embedded: EmbeddedVectorStore | undefined;
  let server: RunningVectorStoreServer | undefined;

  const serve = async (): Promise<RemoteVectorStore> => {
    embedded = new EmbeddedVectorStore({ directory });
    server = await serveVectorStore(embedded, { port: 0, token: TOKEN });
    return new RemoteVectorStore({ url: server.url, token: TOKEN, timeoutMs: 5_000 });
  };
  const shutdown = async () => {
    await server?.close();
    await embedded?.close();
  };
  afterAll(async () => {
    await shutdown();
    rmSync(directory, { recursive: true, force: true });
  });

  vectorStoreContract(
    async () => ({
      store: await serve(),
      reopen: async () => {
        await shutdown();
        return serve();
      },
    }),
    (prefix) => uniqueName(prefix).toLowerCase(),
  );

  it('refuses a client without the token, and reports an unreachable server as unavailable', async () => {
    const url = server!.url;
    await expect(new RemoteVectorStore({ url }).listCollections()).rejects.toThrow('refused the token');
    const gone = new RemoteVectorStore({ url: 'http://127.0.0.1:9', timeoutMs: 1_000 });
    await expect(gone.checkHealth()).rejects.toBeInstanceOf(VectorStoreUnavailableError);
  });
});
