import { readFileSync, writeFileSync } from 'node:fs';
import { basename, extname } from 'node:path';
import { TfImageEncoder } from '@catalens/vision';
import { SingleBar } from 'cli-progress';
import type { Command } from 'commander';
import sharp from 'sharp';
import { CliUsageError } from '../admin/tenant-admin.service';
import { firstPerLabel, parsePerLabelLimit, readLabelledDataset } from '../ml/labelled-dataset';
import { projectTo2d, scatterSvg } from '../ml/pca';

export function registerEmbedMapCommand(program: Command): void {
  program
    .command('embed-map')
    .description('a 2-D PCA map of the visual vectors of labelled photos, coloured by label (SVG or PNG)')
    .requiredOption('--data <labels.csv>', 'file,label[,…] with a header; paths relative to the CSV')
    .requiredOption('--out <map.svg|map.png>', 'output image')
    .option('--model <dir>', 'model directory (default: the shipped model)')
    .option('--limit <n>', 'at most n photos per label', '60')
    .action(async (options: { data: string; out: string; model?: string; limit: string }) => {
      const format = extname(options.out).toLowerCase();
      if (format !== '.svg' && format !== '.png')
        throw new CliUsageError(`--out ${options.out}: use a .svg or .png file name`);
      const limit = parsePerLabelLimit(options.limit);
      const images = firstPerLabel(readLabelledDataset(options.data), limit);
      const encoder = await TfImageEncoder.create(options.model ? { modelDir: options.model } : {});
      const bar = new SingleBar({
        format: 'embed-map [{bar}] {value}/{total} images',
        stream: process.stderr,
      });
      bar.start(images.length, 0);
      const vectors: Float32Array[] = [];
      try {
        for (let i = 0; i < images.length; i += 16) {
          vectors.push(
            ...(await encoder.encode(images.slice(i, i + 16).map((img) => readFileSync(img.file)))),
          );
          bar.update(vectors.length);
        }
      } finally {
        bar.stop();
        await encoder.close();
      }
      const svg = scatterSvg(
        projectTo2d(vectors),
        images.map((i) => i.label),
        `${basename(options.data)} — ${encoder.id} visual vectors, PCA`,
      );
      if (format === '.svg') writeFileSync(options.out, svg);
      else await sharp(Buffer.from(svg)).png().toFile(options.out);
      process.stderr.write(`map: ${options.out} (${images.length} photos)\n`);
    });
}
