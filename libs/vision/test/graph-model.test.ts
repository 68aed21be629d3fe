import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { ModelLoadError, TfImageEncoder } from '../src';

/**
 * A tiny TF.js graph model (the tfjs-converter format) written by hand: features = the mean colour
 * of the image, probabilities = softmax of it. Enough to prove graph models load from a directory,
 * run through the same preprocessing and give both outputs.
 */
function writeGraphModel(dir: string, manifest: Record<string, unknown>): void {
  const node = (name: string, op: string, input: string[], attr: Record<string, unknown>) => ({
    name,
    op,
    input,
    attr,
  });
  const modelJson = {
    format: 'graph-model',
    generatedBy: 'catalens test',
    convertedBy: 'hand',
    modelTopology: {
      node: [
        node('image', 'Placeholder', [], {
          dtype: { type: 'DT_FLOAT' },
          shape: { shape: { dim: [{ size: '-1' }, { size: '32' }, { size: '32' }, { size: '3' }] } },
        }),
        node('axes', 'Const', [], {
          value: { tensor: { dtype: 'DT_INT32', tensorShape: { dim: [{ size: '2' }] } } },
          dtype: { type: 'DT_INT32' },
        }),
        node('features', 'Mean', ['image', 'axes'], {
          keep_dims: { b: false },
          T: { type: 'DT_FLOAT' },
          Tidx: { type: 'DT_INT32' },
        }),
        node('probs', 'Softmax', ['features'], { T: { type: 'DT_FLOAT' } }),
      ],
      versions: { producer: 1 },
    },
    weightsManifest: [{ paths: ['weights.bin'], weights: [{ name: 'axes', shape: [2], dtype: 'int32' }] }],
  };
  writeFileSync(join(dir, 'model.json'), JSON.stringify(modelJson));
  writeFileSync(join(dir, 'weights.bin'), Buffer.from(Int32Array.from([1, 2]).buffer));
  writeFileSync(join(dir, 'labels.json'), JSON.stringify(['red', 'green', 'blue']));
  writeFileSync(join(dir, 'catalens-model.json'), JSON.stringify(manifest));
}

const MANIFEST = {
  id: 'mean-colour',
  kind: 'graph',
  inputSize: 32,
  resize: 'squash',
  pixelRange: [0, 1],
  embeddingLayer: 'features',
  embeddingSize: 3,
  probabilitiesLayer: 'probs',
  labelsFile: 'labels.json',
};

const solid = (r: number, g: number, b: number): Promise<Buffer> =>
  sharp({ create: { width: 40, height: 40, channels: 3, background: { r, g, b } } })
    .png()
    .toBuffer();

describe('graph models', () => {
  it('load from a directory and return features and class probabilities', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'catalens-graph-'));
    writeGraphModel(dir, MANIFEST);
    const encoder = await TfImageEncoder.create({ modelDir: dir, backend: 'wasm' });

    const [red, teal] = await encoder.encodeWithProbabilities([
      await solid(255, 0, 0),
      await solid(0, 128, 128),
    ]);

    expect(encoder.id).toBe('mean-colour');
    expect(Array.from(red!.visual).map((x) => Number(x.toFixed(4)))).toEqual([1, 0, 0]);
    expect(Array.from(teal!.visual).map((x) => Number(x.toFixed(3)))).toEqual([0, 0.707, 0.707]);
    const p = Array.from(red!.probabilities!);
    expect(p.indexOf(Math.max(...p))).toBe(0);
    expect(p.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    await encoder.close();
  });

  it('refuse a manifest that does not fit, naming the field', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'catalens-graph-'));
    writeGraphModel(dir, { ...MANIFEST, resize: 'stretch' });
    await expect(TfImageEncoder.create({ modelDir: dir })).rejects.toThrow(ModelLoadError);
    await expect(TfImageEncoder.create({ modelDir: dir })).rejects.toThrow(/catalens-model.json resize/);
  });
});
