import { TcpProxy } from '../support/tcp-proxy';
import { type AppProcess, readiness, startApp } from '../support/app-process';
import { Kafka, logLevel } from 'kafkajs';
import { databaseUrl, privateBroker, uniqueName, waitFor } from '../support/services';

jest.setTimeout(180_000);

/**
 * Each app's /readyz reflects its real dependencies: Postgres behind a proxy that the test can
 * cut, and a private Kafka broker that the test stops and starts.
 */
describe('/readyz of each app against real dependencies', () => {
  const brokerPort = 19192;
  const proxy = new TcpProxy('127.0.0.1', Number(new URL(databaseUrl()).port || 5432));
  let env: Record<string, string>;

  beforeAll(async () => {
    await privateBroker(brokerPort, 'up');
    const proxyPort = await proxy.start();
    const db = new URL(databaseUrl());
    db.port = String(proxyPort);
    env = {
      DATABASE_URL: db.toString(),
      KAFKA_BROKERS: `127.0.0.1:${brokerPort}`,
      API_KEY_PEPPER: 'test-pepper-0123456789',
    };
  });
  afterAll(async () => {
    await proxy.stop();
    await privateBroker(brokerPort, 'down');
  });

  const expectReadiness = async (app: AppProcess, ready: boolean, dependency?: string) => {
    let last: unknown;
    try {
      return await waitFor(
        `readyz to be ${ready ? 'ready' : `not ready because of ${dependency}`}`,
        async () => {
          const { status, body } = await readiness(app.url);
          last = { status, body };
          if (ready && status === 200) return true;
          if (!ready && status === 503 && body.details?.[dependency!]?.status === 'down') return body;
          return undefined;
        },
        30_000,
        300,
      );
    } catch (error) {
      throw new Error(
        `${(error as Error).message}; last answer ${JSON.stringify(last)}; app output:\n${app.output().slice(-2000)}`,
        { cause: error },
      );
    }
  };

  it.each(['ingest', 'embedder'] as const)(
    '%s is not ready without the database or Kafka, and ready with both',
    async (name) => {
      const app = await startApp(name, env);
      try {
        await expectReadiness(app, true);

        proxy.setEnabled(false);
        const down = await expectReadiness(app, false, 'database');
        expect(JSON.stringify(down)).toContain('database');
        proxy.setEnabled(true);
        await expectReadiness(app, true);

        await privateBroker(brokerPort, 'down');
        await expectReadiness(app, false, 'kafka');
        await privateBroker(brokerPort, 'up');
        await expectReadiness(app, true);
        expect((await fetch(`${app.url}/healthz`)).status).toBe(200);
      } finally {
        proxy.setEnabled(true);
        await app.stop();
      }
    },
  );

  it('graphql is not ready without the database, and ready with it', async () => {
    const app = await startApp('graphql', env);
    try {
      await expectReadiness(app, true);
      proxy.setEnabled(false);
      await expectReadiness(app, false, 'database');
      proxy.setEnabled(true);
      await expectReadiness(app, true);
    } finally {
      proxy.setEnabled(true);
      await app.stop();
    }
  });

  it('ingest creates its item topic and DLQ at start with the configured partitions', async () => {
    const items = uniqueName('test.items');
    const dlq = uniqueName('test.items.dlq');
    const app = await startApp('ingest', {
      ...env,
      CATALENS_TOPIC_ITEMS: items,
      CATALENS_TOPIC_ITEMS_DLQ: dlq,
      KAFKA_TOPIC_PARTITIONS: '3',
    });
    const admin = new Kafka({ brokers: [`127.0.0.1:${brokerPort}`], logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    try {
      const metadata = await waitFor(
        'the topics to exist',
        async () => {
          const topics = (await admin.fetchTopicMetadata({ topics: [items, dlq] })).topics;
          return topics.length === 2 ? topics : undefined;
        },
        30_000,
        500,
      );
      expect(metadata.find((t) => t.name === items)?.partitions).toHaveLength(3);
      expect(metadata.find((t) => t.name === dlq)?.partitions).toHaveLength(1);
    } finally {
      await admin.disconnect();
      await app.stop();
    }
  });

  it('exposes Prometheus metrics including dependency state', async () => {
    const app = await startApp('ingest', env);
    try {
      await expectReadiness(app, true);
      const text = await (await fetch(`${app.url}/metrics`)).text();
      expect(text).toMatch(/catalens_dependency_up\{dependency="kafka",app="ingest"\} 1/);
      expect(text).toContain('catalens_process_cpu_seconds_total');
    } finally {
      await app.stop();
    }
  });
});

describe('configuration at start', () => {
  it('stops an app with a message naming each bad variable', async () => {
    const { spawnSync } = await import('node:child_process');
    const { resolve } = await import('node:path');
    const result = spawnSync(process.execPath, [resolve(__dirname, '../../apps/ingest/dist/main.js')], {
      env: {
        PATH: process.env.PATH,
        DATABASE_URL: 'mysql://nope',
        KAFKA_BROKERS: 'no-port',
        API_KEY_PEPPER: 'short',
      },
      encoding: 'utf8',
    });
    expect(result.status).toBe(78);
    expect(result.stderr).toContain('DATABASE_URL got mysql://nope');
    expect(result.stderr).toContain('KAFKA_BROKERS got no-port');
    expect(result.stderr).toContain('API_KEY_PEPPER');
  });
});
