export { ConfigError, env, loadConfig } from './load-config';
