import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadLabelConcepts } from './label-concepts-file';
import { DEFAULT_MODEL_DIR, NSFWJS_MOBILENET_DIR } from './load-encoder-model';

const conceptsOf = async (label: string, nth = 0) => {
  const concepts = (await loadLabelConcepts())!;
  const found = concepts.classes.filter((c) => c.label === label)[nth]!;
  return new Map(found.concepts.map(([lemma, distance]) => [lemma, distance]));
};

describe('the shipped model’s label concepts', () => {
  it('describe every ImageNet class of the shipped model, in order', async () => {
    const labels = JSON.parse(readFileSync(join(DEFAULT_MODEL_DIR, 'labels.json'), 'utf8')) as string[];
    const concepts = (await loadLabelConcepts())!;
    expect(concepts.classes.map((c) => c.label)).toEqual(labels);
    expect(new Set(concepts.classes.map((c) => c.synset)).size).toBe(labels.length);
  });

  it('climb hypernyms: a running shoe is a shoe, footwear', async () => {
    const shoe = await conceptsOf('running shoe');
    expect(shoe.get('shoe')).toBe(1);
    expect(shoe.get('footwear')).toBe(2);
  });

  it('reach the room a fixture is part of', async () => {
    expect((await conceptsOf('bathtub, bathing tub, bath, tub')).get('bathroom')).toBe(1);
  });

  it('tell the two cranes apart: the bird, then the machine (ImageNet order)', async () => {
    expect((await conceptsOf('crane', 0)).has('bird')).toBe(true);
    expect((await conceptsOf('crane', 1)).has('device')).toBe(true);
  });

  it('are absent for a model that ships none', async () => {
    expect(await loadLabelConcepts(NSFWJS_MOBILENET_DIR)).toBeNull();
  });

  it('are refused, naming the file and the fix, when they describe other labels', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'catalens-concepts-'));
    writeFileSync(
      join(dir, 'catalens-model.json'),
      JSON.stringify({
        id: 'm',
        kind: 'graph',
        inputSize: 224,
        resize: 'cover',
        pixelRange: [0, 1],
        embeddingLayer: 'x',
        embeddingSize: 4,
        labelsFile: 'labels.json',
        conceptsFile: 'concepts.json',
      }),
    );
    writeFileSync(join(dir, 'labels.json'), JSON.stringify(['cat']));
    writeFileSync(
      join(dir, 'concepts.json'),
      JSON.stringify({ source: 's', classes: [{ label: 'dog', synset: 'n', concepts: [] }] }),
    );
    await expect(loadLabelConcepts(dir)).rejects.toThrow(
      /class 0 is "dog", the classifier's "cat".*build-label-concepts/,
    );
  });
});
