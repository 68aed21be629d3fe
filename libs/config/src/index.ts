export { ConfigError, env, loadConfig } from './load-config';
export { authEnv, collectionEnv, commonEnv, databaseEnv, kafkaEnv, vectorStoreEnv } from './common-env';
