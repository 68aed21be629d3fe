import { closeSync, fsyncSync, openSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * alias → collection, kept in one JSON file replaced by rename, so a crash leaves either the old
 * or the new map, never half of one (what makes `switchAlias` atomic).
 */
export class AliasFile {
  private readonly path: string;

  constructor(directory: string) {
    this.path = join(directory, 'aliases.json');
  }

  read(): Record<string, string> {
    try {
      const parsed = JSON.parse(readFileSync(this.path, 'utf8')) as unknown;
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed))
        return parsed as Record<string, string>;
      throw new Error(`${this.path} does not hold an alias map`);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
      throw error;
    }
  }

  write(aliases: Record<string, string>): void {
    const temporary = `${this.path}.${process.pid}.tmp`;
    writeFileSync(temporary, JSON.stringify(aliases, null, 2));
    syncPath(temporary);
    renameSync(temporary, this.path);
    syncPath(dirname(this.path));
  }
}

export function syncPath(path: string): void {
  const fd = openSync(path, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
