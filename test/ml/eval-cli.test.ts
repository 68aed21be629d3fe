import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { datasetDir, describeWithDataset } from '../support/datasets';
import { REPO_ROOT } from '../support/services';

const exec = promisify(execFile);
const cli = (args: string[]) =>
  exec(process.execPath, [resolve(REPO_ROOT, 'apps/cli/dist/main.js'), ...args], {
    env: { PATH: process.env.PATH },
  });
const failure = async (args: string[]): Promise<{ code: number; stderr: string }> => {
  try {
    await cli(args);
  } catch (error) {
    return error as { code: number; stderr: string };
  }
  throw new Error(`catalens ${args.join(' ')} should have failed`);
};
const work = mkdtempSync(join(tmpdir(), 'catalens-eval-'));

describe('catalens eval refuses bad input with the fix in the message', () => {
  it('a missing labels file', async () => {
    const { code, stderr } = await failure(['eval', '--data', join(work, 'nope.csv')]);
    expect(code).toBe(2);
    expect(stderr).toContain('no such file');
  });

  it('a CSV without a label column', async () => {
    writeFileSync(join(work, 'bad.csv'), 'path,kind\na.jpg,x\n');
    expect((await failure(['eval', '--data', join(work, 'bad.csv')])).stderr).toContain('no "file" column');
  });

  it('label words that are not JSON of lists', async () => {
    writeFileSync(join(work, 'ok.csv'), 'file,label\na.jpg,x\n');
    writeFileSync(join(work, 'words.json'), '{"x": "not a list"}');
    const { stderr } = await failure([
      'eval',
      '--data',
      join(work, 'ok.csv'),
      '--label-words',
      join(work, 'words.json'),
    ]);
    expect(stderr).toContain('expected {"label": ["word", …], …}');
  });

  it('an unknown vocabulary', async () => {
    expect(
      (await failure(['eval', '--data', join(work, 'ok.csv'), '--vocabulary', 'cars'])).stderr,
    ).toContain('use products or real-estate');
  });
});

describeWithDataset('clothing', 'catalens eval on real photos', () => {
  it('prints one JSON line of scores and writes a markdown report', async () => {
    const report = join(work, 'report.md');
    // one word the vectors do not know: left out with a warning, the run goes on
    const words = JSON.parse(
      readFileSync(resolve(REPO_ROOT, 'docs/evaluation/clothing.words.json'), 'utf8'),
    ) as Record<string, string[]>;
    words.dress = [...words.dress!, 'zzqxfrock'];
    writeFileSync(join(work, 'clothing-words.json'), JSON.stringify(words));
    const { stdout, stderr } = await cli([
      'eval',
      '--data',
      join(datasetDir('clothing')!, 'labels.csv'),
      '--label-words',
      join(work, 'clothing-words.json'),
      '--limit',
      '3',
      '--report',
      report,
    ]);
    const scores = JSON.parse(stdout) as Record<string, number>;
    expect(Object.keys(scores)).toEqual(['tagP1', 'tagP5', 'textR10', 'simP10', 'n']);
    expect(scores.n).toBe(30); // 3 held-out photos of each of the 10 labels
    for (const key of ['tagP1', 'tagP5', 'textR10', 'simP10']) expect(scores[key]).toBeGreaterThanOrEqual(0);
    expect(scores.simP10).toBeGreaterThan(0.1); // above chance for 10 labels
    expect(stderr).toContain('label words not in the word vectors, left out: zzqxfrock');
    const markdown = readFileSync(report, 'utf8');
    expect(markdown).toContain('| shoes | 3 |');
    expect(markdown).toContain('projector `conse-wn-t10`'); // ConSE over the shipped label concepts
    expect(markdown).toMatch(/## First tag by label\n\n\| label \\ first tag \| dress \|/);
  }, 120_000);

  it('trains a DeViSE head on the training split and evaluates it on the held-out one', async () => {
    const data = join(datasetDir('clothing')!, 'labels.csv');
    const words = resolve(REPO_ROOT, 'docs/evaluation/clothing.words.json');
    const trained = JSON.parse(
      (
        await cli([
          'train',
          'devise',
          '--data',
          data,
          '--label-words',
          words,
          '--out',
          join(work, 'heads'),
          '--limit',
          '6',
          '--epochs',
          '10',
          '--workers',
          '1',
        ])
      ).stdout,
    ) as { id: string; dir: string; trainImages: number };
    expect(trained.trainImages).toBe(60);
    expect(trained.id).toMatch(/^devise-efficientnet-lite0-224-\d{8}-[0-9a-f]{8}$/);
    const meta = JSON.parse(readFileSync(join(trained.dir, 'devise.json'), 'utf8')) as Record<
      string,
      unknown
    >;
    expect(meta).toMatchObject({ visualModel: 'efficientnet-lite0-224', visualDim: 1280, semanticDim: 100 });

    const { stdout } = await cli([
      'eval',
      '--data',
      data,
      '--label-words',
      words,
      '--devise',
      trained.dir,
      '--limit',
      '3',
      '--report',
      join(work, 'devise.md'),
    ]);
    expect(JSON.parse(stdout)).toMatchObject({ n: 30 });
    expect(readFileSync(join(work, 'devise.md'), 'utf8')).toContain(trained.id);
  }, 240_000);
});
