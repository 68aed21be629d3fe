import { type ChildProcess, spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { freePort } from './app-process';
import { REPO_ROOT } from './services';

/** `catalens store serve` as its own process: the embedded store, shared over HTTP. */
export async function startStoreServer(
  dir: string,
): Promise<{ url: string; child: ChildProcess; stop(): Promise<void> }> {
  const port = await freePort();
  const child = spawn(
    process.execPath,
    [resolve(REPO_ROOT, 'apps/cli/dist/main.js'), 'store', 'serve', '--dir', dir, '--port', String(port)],
    { stdio: ['ignore', 'pipe', 'inherit'], env: { PATH: process.env.PATH } },
  );
  await new Promise<void>((ready, fail) => {
    child.stdout.on('data', (c: Buffer) => c.toString().includes('served at') && ready());
    child.once('exit', (code) => fail(new Error(`store server exited with ${code}`)));
  });
  return {
    url: `http://127.0.0.1:${port}`,
    child,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGCONT');
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    },
  };
}
