import { writeFileSync } from 'node:fs';
import { basename, extname } from 'node:path';
import { TfImageEncoder } from '@catalens/vision';
import type { Command } from 'commander';
import sharp from 'sharp';
import { CliUsageError } from '../admin/tenant-admin.service';
import { firstPerLabel, parsePerLabelLimit, readLabelledDataset } from '../ml/labelled-dataset';
import { encodeFiles } from '../ml/encode-files';
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
      let vectors: Float32Array[];
      try {
        vectors = await encodeFiles(
          encoder,
          images.map((i) => i.file),
          'embed-map',
          16,
        );
      } finally {
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
