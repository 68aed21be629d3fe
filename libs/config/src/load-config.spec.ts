import { z } from 'zod';
import { vectorStoreEnv } from './common-env';
import { ConfigError, env, loadConfig } from './load-config';

const schema = z.object({
  CATALENS_PORT: env.port(3000),
  KAFKA_BROKERS: env.brokers(),
  DATABASE_URL: env.url(['postgres', 'postgresql']),
});

describe('loadConfig', () => {
  it('applies defaults and coerces types', () => {
    const config = loadConfig(schema, { DATABASE_URL: 'postgresql://u@h/db' });
    expect(config).toEqual({
      CATALENS_PORT: 3000,
      KAFKA_BROKERS: ['127.0.0.1:9092'],
      DATABASE_URL: 'postgresql://u@h/db',
    });
  });

  it('names a missing required variable', () => {
    expect(() => loadConfig(schema, {})).toThrow(/DATABASE_URL is required/);
  });

  it('names the variable and the bad value', () => {
    expect(() => loadConfig(schema, { DATABASE_URL: 'mysql://x', CATALENS_PORT: '99999' })).toThrow(
      ConfigError,
    );
    try {
      loadConfig(schema, { DATABASE_URL: 'mysql://x', CATALENS_PORT: '99999' });
    } catch (error) {
      const problems = (error as ConfigError).problems;
      expect(problems).toEqual(
        expect.arrayContaining([
          expect.stringMatching(/^CATALENS_PORT got 99999/),
          expect.stringMatching(
            /^DATABASE_URL got mysql:\/\/x: expected a URL with scheme postgres or postgresql/,
          ),
        ]),
      );
    }
  });

  it('rejects unknown variables with the project prefix', () => {
    expect(() => loadConfig(schema, { DATABASE_URL: 'postgresql://h/db', CATALENS_PROT: '1' })).toThrow(
      /CATALENS_PROT: unknown variable/,
    );
  });

  it("bounds the embedded store's HNSW search beam and defaults it to 64", () => {
    const ef = z.object({ VECTOR_STORE_HNSW_EF: vectorStoreEnv.VECTOR_STORE_HNSW_EF });
    expect(loadConfig(ef, {})).toEqual({ VECTOR_STORE_HNSW_EF: 64 });
    expect(loadConfig(ef, { VECTOR_STORE_HNSW_EF: '128' })).toEqual({ VECTOR_STORE_HNSW_EF: 128 });
    expect(() => loadConfig(ef, { VECTOR_STORE_HNSW_EF: '4' })).toThrow(/VECTOR_STORE_HNSW_EF got 4/);
    expect(() => loadConfig(ef, { VECTOR_STORE_HNSW_EF: 'wide' })).toThrow(/VECTOR_STORE_HNSW_EF got wide/);
  });

  it('rejects a malformed broker list', () => {
    expect(() =>
      loadConfig(schema, { DATABASE_URL: 'postgresql://h/db', KAFKA_BROKERS: 'localhost' }),
    ).toThrow(/KAFKA_BROKERS got localhost: expected a comma-separated list of host:port/);
  });
});
