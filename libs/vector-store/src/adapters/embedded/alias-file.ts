import { closeSync, fsyncSync, openSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * alias → collection, kept in one JSON file replaced by rename, so a crash leaves either the old
 * or the new map, never half of one (what makes `switchAlias` atomic).
 *
 * The map is read from disk once and then served from memory (every search resolves its alias, and
 * a file read per query showed up in the request path): one process owns a store directory, so
 * this instance's writes are the only ones. The copy handed out is frozen; writers pass a new map.
 */
export class AliasFile {
  private readonly path: string;
  private cached: Readonly<Record<string, string>> | undefined;

  constructor(directory: string) {
    this.path = join(directory, 'aliases.json');
  }

  read(): Readonly<Record<string, string>> {
    this.cached ??= Object.freeze(this.load());
    return this.cached;
  }

  /** The collection an alias points at (own keys only: "constructor" is not an alias). */
  target(alias: string): string | undefined {
    const aliases = this.read();
    return Object.hasOwn(aliases, alias) ? aliases[alias] : undefined;
  }

  write(aliases: Record<string, string>): void {
    const temporary = `${this.path}.${process.pid}.tmp`;
    writeFileSync(temporary, JSON.stringify(aliases, null, 2));
    syncPath(temporary);
    renameSync(temporary, this.path);
    syncPath(dirname(this.path));
    // Only after the rename: a write that failed leaves the cache at what the disk still holds.
    this.cached = Object.freeze({ ...aliases });
  }

  private load(): Record<string, string> {
    try {
      const parsed = JSON.parse(readFileSync(this.path, 'utf8')) as unknown;
      if (
        parsed &&
        typeof parsed === 'object' &&
        !Array.isArray(parsed) &&
        Object.values(parsed).every((v) => typeof v === 'string')
      )
        return parsed as Record<string, string>;
      throw new Error(
        `${this.path} does not hold an alias map ({"alias": "collection", ...}); fix or remove it`,
      );
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
      throw error;
    }
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
