import { z } from 'zod';
import { appEnvironment, loadStandaloneConfig } from './config';

const ingest = z.object({ PORT: z.string(), CATALENS_TOPIC_ITEMS: z.string().optional() });
const graphql = z.object({ PORT: z.string(), CATALENS_COLLECTION: z.string().optional() });

describe('one-process configuration', () => {
  it('accepts the apps’ CATALENS_ variables and its own, and names a typo', () => {
    const config = loadStandaloneConfig(
      { CATALENS_DATA_DIR: '/srv/catalens', CATALENS_COLLECTION: 'items', CATALENS_GRAPHQL_PORT: '0' },
      [ingest, graphql],
    );
    expect(config).toMatchObject({
      CATALENS_DATA_DIR: '/srv/catalens',
      CATALENS_GRAPHQL_PORT: 0,
      CATALENS_INGEST_PORT: 3001,
    });
    expect(() => loadStandaloneConfig({ CATALENS_DATA_DIRR: 'x' }, [ingest, graphql])).toThrow(
      /CATALENS_DATA_DIRR: unknown variable/,
    );
  });

  it('gives each app only the CATALENS_ variables it knows, plus the overrides', () => {
    const env = appEnvironment(
      { PATH: '/bin', CATALENS_DATA_DIR: '/d', CATALENS_COLLECTION: 'items', CATALENS_TOPIC_ITEMS: 't' },
      ingest,
      { PORT: '3001' },
    );
    expect(env).toEqual({ PATH: '/bin', CATALENS_TOPIC_ITEMS: 't', PORT: '3001' });
  });
});
