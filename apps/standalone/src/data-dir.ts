import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** What the one-process mode keeps in its data directory; `--reset` removes exactly these. */
export const DATA_ENTRIES = [
  'postgres',
  'vectors',
  'api-key-pepper',
  'demo-api-keys.json',
  'sample-catalog.json',
] as const;

export class DataDirInUseError extends Error {
  constructor(dir: string, pid: number) {
    super(
      `${dir} is in use by another catalens (pid ${pid}); stop it first, or start this one on another directory with CATALENS_DATA_DIR`,
    );
    this.name = 'DataDirInUseError';
  }
}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/**
 * Claims the directory for this process (`<dir>/.lock` holds the pid): PGlite and the embedded
 * store each belong to one process. A lock left by a process that is gone is taken over.
 * Returns the release function.
 */
export function lockDataDir(dir: string): () => void {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, '.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(file, String(process.pid), { flag: 'wx' });
      return () => rmSync(file, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const pid = Number(readFileSync(file, 'utf8'));
      if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && alive(pid))
        throw new DataDirInUseError(dir, pid);
      rmSync(file, { force: true });
    }
  }
  throw new Error(`could not lock ${dir}`);
}

/** Removes this mode's data (not anything else a user put in the directory); returns what went. */
export function resetDataDir(dir: string): string[] {
  const removed: string[] = [];
  for (const entry of [...DATA_ENTRIES, 'demo-api-key.json']) {
    const path = join(dir, entry);
    if (!existsSync(path)) continue;
    rmSync(path, { recursive: true, force: true });
    removed.push(entry);
  }
  return removed;
}
