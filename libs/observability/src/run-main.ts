import { bootstrapApp, type BootstrapOptions } from './bootstrap';

/**
 * The entry point of every deployable: validate configuration first (a bad variable stops the
 * process with exit code 78, EX_CONFIG, and a message naming it), then boot. Failures after
 * configuration exit with code 1; both are written to stderr as one JSON line.
 */
export function runMain<C>(
  name: string,
  loadConfig: () => C,
  describe: (config: C) => Omit<BootstrapOptions, 'name'>,
): void {
  let config: C;
  try {
    config = loadConfig();
  } catch (error) {
    process.stderr.write(`${JSON.stringify({ level: 'fatal', app: name, msg: (error as Error).message })}\n`);
    process.exit(78);
  }
  bootstrapApp({ name, ...describe(config) }).catch((error: unknown) => {
    const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
    process.stderr.write(
      `${JSON.stringify({ level: 'fatal', app: name, msg: `failed to start: ${message}` })}\n`,
    );
    process.exit(1);
  });
}
