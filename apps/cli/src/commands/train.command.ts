import { createHash } from 'node:crypto';
import { join, resolve } from 'node:path';
import { loadWordVectors } from '@catalens/semantics';
import { saveDeviseHead, selectBackend, trainDeviseHead, WorkerPoolImageEncoder } from '@catalens/vision';
import { SingleBar } from 'cli-progress';
import type { Command } from 'commander';
import { TagCurationRepository, TenantRepository } from '@catalens/db';
import { CliUsageError } from '../admin/tenant-admin.service';
import { loadDatabaseConfig } from '../config';
import { encodeFiles } from '../ml/encode-files';
import { withDatabase } from './with-database';
import { readLabelWords } from '../ml/label-words';
import { firstPerLabel, parsePerLabelLimit, readLabelledDataset } from '../ml/labelled-dataset';

interface TrainOptions {
  data?: string;
  fromTags?: string;
  labelWords?: string;
  out: string;
  model?: string;
  group?: string;
  epochs: string;
  workers?: string;
  limit?: string;
}

export function registerTrainCommands(program: Command): void {
  const train = program.command('train').description('train models on labelled photos');
  train
    .command('devise')
    .description(
      'train a DeViSE head (visual → GloVe space, hinge rank loss) on the training split; writes <out>/<head id>/',
    )
    .option('--data <labels.csv>', 'file,label[,…] with a header; paths relative to the CSV')
    .option(
      '--from-tags <tenant>',
      "train on a tenant's accepted and manual tags (each tag word a label, the item's stored image its photo); needs DATABASE_URL",
    )
    .requiredOption('--out <dir>', 'directory that receives the versioned head directory')
    .option('--label-words <words.json>', 'label → list of words the label means (default: the label itself)')
    .option('--model <dir>', 'image model directory (default: the shipped model)')
    .option(
      '--group <column>',
      'CSV column that keeps related photos on one side of the split (e.g. house_id)',
    )
    .option('--epochs <n>', 'training epochs', '40')
    .option('--workers <n>', 'encoder worker threads (default: one per core)')
    .option('--limit <n>', 'train on at most n photos per label')
    .action(async (options: TrainOptions) => {
      const epochs = Number(options.epochs);
      if (!Number.isInteger(epochs) || epochs < 1)
        throw new CliUsageError(`--epochs ${options.epochs}: use a positive whole number`);
      if ((options.data === undefined) === (options.fromTags === undefined))
        throw new CliUsageError('pass exactly one of --data <labels.csv> or --from-tags <tenant>');
      const labelWords = options.labelWords ? readLabelWords(options.labelWords) : undefined;
      const limit = parsePerLabelLimit(options.limit);
      const { vectors } = await loadWordVectors(process.env.GLOVE_PATH);
      let images: { file: string | Buffer; label: string }[];
      if (options.data) {
        images = firstPerLabel(
          readLabelledDataset(options.data, options.group ? { groupColumn: options.group } : {}).filter(
            (i) => !i.heldOut,
          ),
          limit,
        );
      } else {
        // Manual tags may be words the vectors do not know (brand names): those cannot be labels.
        const curated = await curatedImages(options.fromTags!, limit);
        const unknown = [...new Set(curated.map((c) => c.label))].filter(
          (w) => !vectors.phrase(w.split(' ')),
        );
        if (unknown.length > 0)
          process.stderr.write(`skipping tags the word vectors do not know: ${unknown.join(', ')}\n`);
        images = curated.filter((c) => !unknown.includes(c.label));
      }
      const source = options.data ? resolve(options.data) : `tags of tenant ${options.fromTags}`;
      const labels = [...new Set(images.map((i) => i.label))].sort();
      if (labels.length < 2)
        throw new CliUsageError(
          options.data
            ? `--data ${options.data}: DeViSE needs at least two labels in the training split`
            : `--from-tags ${options.fromTags}: DeViSE needs accepted tags of at least two words (found ${labels.length}); accept or add tags first`,
        );

      const labelVectors = labels.map((label) => {
        const words = (labelWords?.[label] ?? [label]).flatMap((w) => w.toLowerCase().split(' '));
        const v = vectors.phrase(words);
        if (!v)
          throw new CliUsageError(
            `label "${label}": ${words.filter((w) => !vectors.has(w)).join(', ')} not in the word vectors; map it with --label-words`,
          );
        return Float32Array.from(v);
      });

      const encoder = await WorkerPoolImageEncoder.create({
        ...(options.model ? { modelDir: options.model } : {}),
        ...(options.workers ? { workers: Number(options.workers) } : {}),
      });
      let visual: Float32Array[];
      try {
        visual = await encodeFiles(
          encoder,
          images.map((i) => i.file),
          'encode',
          32,
        );
      } finally {
        await encoder.close();
      }

      const { tf } = await selectBackend('wasm');
      const epochBar = new SingleBar({
        format: 'train  [{bar}] epoch {value}/{total} | loss {loss}',
        stream: process.stderr,
      });
      epochBar.start(epochs, 0, { loss: '-' });
      const trained = await trainDeviseHead(
        tf,
        { visual, labels: images.map((i) => labels.indexOf(i.label)), labelVectors },
        { epochs, onEpoch: (epoch, loss) => epochBar.update(epoch, { loss: loss.toFixed(4) }) },
      ).finally(() => epochBar.stop());

      const fingerprint = createHash('sha1')
        .update(JSON.stringify({ data: source, labels, labelWords, epochs, model: encoder.id }))
        .update(Buffer.from(trained.kernel.buffer))
        .digest('hex')
        .slice(0, 8);
      const id = `devise-${encoder.id}-${new Date().toISOString().slice(0, 10).replace(/-/g, '')}-${fingerprint}`;
      const dir = join(options.out, id);
      saveDeviseHead(dir, {
        kernel: trained.kernel,
        visualDim: trained.visualDim,
        semanticDim: trained.semanticDim,
        meta: {
          id,
          visualModel: encoder.id,
          wordVectors: vectors.source,
          labels,
          labelWords: Object.fromEntries(labels.map((l) => [l, labelWords?.[l] ?? [l]])),
          loss: 'hinge rank (Frome et al. 2013), margin 0.1',
          epochs,
          finalLoss: trained.finalLoss,
          trainImages: images.length,
          data: source,
          created: new Date().toISOString(),
        },
      });
      process.stdout.write(
        `${JSON.stringify({ id, dir, trainImages: images.length, finalLoss: Number(trained.finalLoss.toFixed(5)) })}\n`,
      );
    });
}

/** A tenant's accepted and manual tags as (stored image, word) training pairs. */
async function curatedImages(tenantRef: string, limit: number) {
  const { DATABASE_URL } = loadDatabaseConfig();
  return withDatabase(DATABASE_URL, async (prisma) => {
    const tenant = await new TenantRepository(prisma).get(tenantRef);
    const examples = await new TagCurationRepository(prisma).acceptedExamples(tenant.id, limit);
    return examples.map((e) => ({ file: e.image, label: e.word }));
  });
}
