// Integration tests talk to the services started by `scripts/kafka.sh` and `scripts/postgres.sh`
// (npm test starts them). These defaults match those scripts; the environment may override them.
process.env.TEST_KAFKA_BROKERS ??= '127.0.0.1:9092';
process.env.TEST_DATABASE_URL ??= 'postgresql://catalens:catalens@127.0.0.1:5432/catalens';
