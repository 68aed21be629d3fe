import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { parse } from 'csv-parse/sync';
import { CliUsageError } from '../admin/tenant-admin.service';

export interface LabelledFile {
  file: string;
  label: string;
  /** Whether the project's split holds this image out of training. */
  heldOut: boolean;
}

/** Share of each dataset the project holds out for evaluation (never trained or tuned on). */
export const HELD_OUT_PERCENT = 20;

/**
 * Reads `labels.csv` (`file,label[,…]` with a header; paths relative to the CSV) and assigns
 * the project's deterministic split: an image is held out when sha1("catalens-split:" + group)
 * falls in the first 20 % — the group is the file, or a column such as `house_id` so that all
 * photos of one house land on the same side.
 */
export function readLabelledDataset(csvPath: string, options: { groupColumn?: string } = {}): LabelledFile[] {
  if (!existsSync(csvPath)) throw new CliUsageError(`--data ${csvPath}: no such file`);
  const rows = parse<Record<string, string>>(readFileSync(csvPath), {
    columns: true,
    skip_empty_lines: true,
    trim: true,
  });
  if (rows.length === 0) throw new CliUsageError(`--data ${csvPath}: no rows under the header`);
  for (const column of ['file', 'label', ...(options.groupColumn ? [options.groupColumn] : [])]) {
    if (!(column in rows[0]!))
      throw new CliUsageError(
        `--data ${csvPath}: no "${column}" column (header: ${Object.keys(rows[0]!).join(',')})`,
      );
  }
  const base = dirname(resolve(csvPath));
  return rows.map((row, i) => {
    if (!row.file || !row.label)
      throw new CliUsageError(`--data ${csvPath}: row ${i + 2} needs a file and a label`);
    const file = isAbsolute(row.file) ? row.file : resolve(base, row.file);
    const group = options.groupColumn ? row[options.groupColumn]! : row.file;
    const bucket = createHash('sha1').update(`catalens-split:${group}`).digest().readUInt16BE(0) % 100;
    return { file, label: row.label, heldOut: bucket < HELD_OUT_PERCENT };
  });
}

/** `--limit`: a positive number of photos per label, or no limit when absent. */
export function parsePerLabelLimit(value: string | undefined, option = '--limit'): number {
  const limit = value === undefined ? Infinity : Number(value);
  if (!(limit > 0)) throw new CliUsageError(`${option} ${value}: use a positive number`);
  return limit;
}

/** The first `limit` images of each label, in file order. */
export function firstPerLabel<T extends { label: string }>(images: readonly T[], limit: number): T[] {
  const seen = new Map<string, number>();
  return images.filter((i) => {
    const n = seen.get(i.label) ?? 0;
    seen.set(i.label, n + 1);
    return n < limit;
  });
}
