import { readFileSync } from 'node:fs';
import { CliUsageError } from '../admin/tenant-admin.service';

/** Reads `--label-words`: `{"label": ["word", …], …}`. */
export function readLabelWords(path: string): Record<string, string[]> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new CliUsageError(`--label-words ${path}: ${(error as Error).message}`);
  }
  const ok =
    parsed !== null &&
    typeof parsed === 'object' &&
    !Array.isArray(parsed) &&
    Object.values(parsed).every(
      (v) => Array.isArray(v) && v.length > 0 && v.every((w) => typeof w === 'string' && w.trim()),
    );
  if (!ok) throw new CliUsageError(`--label-words ${path}: expected {"label": ["word", …], …}`);
  return parsed as Record<string, string[]>;
}
