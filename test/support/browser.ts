import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { REPO_ROOT } from './services';

/** Debian's Chromium (scripts/chromium.sh installs it; `npm test` passes CHROMIUM_PATH). */
export function chromiumPath(): string | undefined {
  const path = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  return existsSync(path) ? path : undefined;
}

/** `describe` when Chromium is there; otherwise a skipped block and the reason on the console. */
export function describeWithBrowser(title: string, body: () => void): void {
  if (chromiumPath()) {
    describe(title, body);
  } else {
    const why = process.env.CHROMIUM_UNAVAILABLE ?? 'no Chromium at CHROMIUM_PATH or /usr/bin/chromium';
    describe.skip(`${title} (skipped: ${why}; run scripts/chromium.sh ensure)`, body);
    console.warn(`SKIP ${title}: ${why}`);
  }
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath()!,
    args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update'],
  });
}

/** Where screenshots go on every run (git-ignored). */
export function artifactPath(name: string): string {
  const dir = join(REPO_ROOT, 'test/artifacts');
  mkdirSync(dir, { recursive: true });
  return join(dir, name);
}
