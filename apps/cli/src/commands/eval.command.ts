import { writeFileSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { SingleBar } from 'cli-progress';
import { ENGINES, type EngineName } from '@catalens/vision';
import type { Command } from 'commander';
import { CliUsageError } from '../admin/tenant-admin.service';
import { evaluatePipeline, evaluationReport } from '../ml/evaluation.service';
import { readLabelWords } from '../ml/label-words';
import { firstPerLabel, parsePerLabelLimit, readLabelledDataset } from '../ml/labelled-dataset';

interface EvalOptions {
  data: string;
  labelWords?: string;
  model?: string;
  engine: string;
  devise?: string;
  feedback?: string;
  vocabulary: string;
  split: string;
  group?: string;
  limit?: string;
  report?: string;
}

export function registerEvalCommand(program: Command): void {
  program
    .command('eval')
    .description(
      'score the image pipeline on labelled photos: prints {"tagP1","tagP5","textR10","simP10","n"} and writes a markdown report',
    )
    .requiredOption('--data <labels.csv>', 'file,label[,…] with a header; paths relative to the CSV')
    .option(
      '--label-words <words.json>',
      'label → list of words, e.g. {"frontal": ["house", "exterior", "facade"]}',
    )
    .option('--model <dir>', 'model directory (default: the shipped model)')
    .option('--engine <name>', `inference engine: ${ENGINES.join(' | ')}`, 'onnx')
    .option('--devise <dir>', 'a DeViSE head from `catalens train devise` (default: zero-shot ConSE)')
    .option(
      '--feedback <n>',
      "fit a tenant head on n training-split photos per label, as if their labels were a merchandiser's accepted tags (what trainSemanticHead does), and evaluate it",
    )
    .option('--vocabulary <name>', 'tag vocabulary: products | real-estate', 'products')
    .option('--split <which>', 'held-out (the project split, never trained on) | all', 'held-out')
    .option(
      '--group <column>',
      'CSV column that keeps related photos on one side of the split (e.g. house_id)',
    )
    .option('--limit <n>', 'evaluate at most n images per label')
    .option('--report <file.md>', 'where the markdown report goes (default: next to the CSV)')
    .action(async (options: EvalOptions) => {
      if (options.vocabulary !== 'products' && options.vocabulary !== 'real-estate') {
        throw new CliUsageError(`--vocabulary ${options.vocabulary}: use products or real-estate`);
      }
      if (!(ENGINES as readonly string[]).includes(options.engine))
        throw new CliUsageError(`--engine ${options.engine}: use ${ENGINES.join(', ')}`);
      if (options.split !== 'held-out' && options.split !== 'all')
        throw new CliUsageError(`--split ${options.split}: use held-out or all`);
      const limit = parsePerLabelLimit(options.limit);
      const labelWords = options.labelWords ? readLabelWords(options.labelWords) : undefined;

      const all = readLabelledDataset(options.data, options.group ? { groupColumn: options.group } : {});
      const chosen = all.filter((i) => options.split === 'all' || i.heldOut);
      const images = firstPerLabel(chosen, limit);
      if (options.feedback !== undefined && options.devise)
        throw new CliUsageError('pass --feedback <n> or --devise <dir>, not both');
      if (options.feedback !== undefined && options.split !== 'held-out')
        throw new CliUsageError('--feedback trains on the training split: evaluate it on --split held-out');
      const feedback =
        options.feedback === undefined
          ? undefined
          : firstPerLabel(
              all.filter((i) => !i.heldOut),
              parsePerLabelLimit(options.feedback, '--feedback'),
            );

      const bar = new SingleBar({
        format: 'eval [{bar}] {value}/{total} images | {eta_formatted} left',
        stream: process.stderr,
        noTTYOutput: false,
      });
      bar.start(images.length, 0);
      const result = await evaluatePipeline({
        images,
        vocabulary: options.vocabulary,
        ...(labelWords ? { labelWords } : {}),
        ...(options.model ? { modelDir: options.model } : {}),
        engine: options.engine as EngineName,
        ...(options.devise ? { deviseDir: options.devise } : {}),
        ...(feedback ? { feedback } : {}),
        ...(process.env.GLOVE_PATH ? { glovePath: process.env.GLOVE_PATH } : {}),
        onProgress: (done) => bar.update(done),
        onWarning: (message) => process.stderr.write(`warning: ${message}\n`),
      }).finally(() => bar.stop());

      const report = options.report ?? `${dirname(options.data)}/eval-${options.split}.md`;
      const title = `${basename(dirname(options.data))} (${options.split}${options.split === 'held-out' ? `, ${images.length} of ${all.length}` : ''})`;
      writeFileSync(report, evaluationReport(result, title, new Date().toISOString().slice(0, 10)));
      const round = (x: number): number => Number(x.toFixed(4));
      const { tagP1, tagP5, textR10, simP10, n } = result.overall;
      process.stdout.write(
        `${JSON.stringify({ tagP1: round(tagP1), tagP5: round(tagP5), textR10: round(textR10), simP10: round(simP10), n })}\n`,
      );
      process.stderr.write(`report: ${report}\n`);
    });
}
