export { ConfigError, env, loadConfig } from './load-config';
export { authEnv, commonEnv, databaseEnv, kafkaEnv, vectorStoreEnv } from './common-env';
