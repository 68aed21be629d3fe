import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/**
 * The labelled photo sets in ../shared/datasets (see each SOURCE.md). They are not part of the
 * repository: tests that need them skip, saying why, when the folder is absent.
 */
export function datasetDir(name: 'clothing' | 'houses'): string | undefined {
  const candidates = [process.env.DATASETS_DIR, resolve(__dirname, '../../../shared/datasets')].filter(
    Boolean,
  ) as string[];
  for (const root of candidates) {
    const dir = join(root, name);
    if (existsSync(join(dir, 'labels.csv'))) return dir;
  }
  return undefined;
}

export interface LabelledImage {
  file: string;
  label: string;
}

export function readLabels(dir: string): LabelledImage[] {
  const [, ...rows] = readFileSync(join(dir, 'labels.csv'), 'utf8').trim().split('\n');
  return rows.map((row) => {
    const [file, label] = row.split(',');
    return { file: join(dir, file!), label: label! };
  });
}

/** The first `perLabel` photos of each label, labels in the order given. */
export function firstPhotos(dir: string, labels: readonly string[], perLabel: number): LabelledImage[] {
  const all = readLabels(dir);
  return labels.flatMap((label) => all.filter((p) => p.label === label).slice(0, perLabel));
}

/** `describe` that runs only when the dataset exists, and prints why it is skipped otherwise. */
export function describeWithDataset(
  name: 'clothing' | 'houses',
  title: string,
  body: (dir: string) => void,
): void {
  const dir = datasetDir(name);
  if (dir) {
    describe(title, () => body(dir));
  } else {
    describe.skip(`${title} (skipped: ../shared/datasets/${name} not found)`, () => body(''));
    console.warn(`SKIP ${title}: ../shared/datasets/${name} is not present on this machine`);
  }
}
