import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseLabelConcepts, type LabelConcepts } from '@catalens/semantics';
import { DEFAULT_MODEL_DIR, ModelLoadError } from './load-encoder-model';
import { modelManifestSchema } from './model-manifest';

/**
 * The model's label concepts (catalens-model.json `conceptsFile`, checked against `labelsFile`),
 * or null when it ships none. Read without loading the network: the GraphQL app places text
 * queries in ConSE's space with them and never runs the model for that.
 */
export async function loadLabelConcepts(dir: string = DEFAULT_MODEL_DIR): Promise<LabelConcepts | null> {
  const read = async (name: string): Promise<unknown> => {
    try {
      return JSON.parse(await readFile(join(dir, name), 'utf8')) as unknown;
    } catch (error) {
      const e = error as NodeJS.ErrnoException;
      throw new ModelLoadError(dir, `${name}: ${e.code === 'ENOENT' ? 'missing' : e.message}`);
    }
  };
  const manifest = modelManifestSchema.safeParse(await read('catalens-model.json'));
  if (!manifest.success)
    throw new ModelLoadError(dir, `catalens-model.json: ${manifest.error.issues[0]!.message}`);
  const { conceptsFile, labelsFile } = manifest.data;
  if (!conceptsFile) return null;
  if (!labelsFile) throw new ModelLoadError(dir, 'catalens-model.json: conceptsFile needs labelsFile');
  const labels = await read(labelsFile);
  if (!Array.isArray(labels) || !labels.every((l) => typeof l === 'string'))
    throw new ModelLoadError(dir, `${labelsFile} must be a JSON list of class names`);
  try {
    return parseLabelConcepts(await read(conceptsFile), labels, join(dir, conceptsFile));
  } catch (error) {
    throw new ModelLoadError(dir, (error as Error).message);
  }
}
