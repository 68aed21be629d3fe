import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeviseProjector } from '@catalens/semantics';
import { loadDeviseHead, saveDeviseHead, selectBackend, trainDeviseHead } from '../src';

const unit = (v: number[]): Float32Array => {
  const n = Math.hypot(...v);
  return Float32Array.from(v.map((x) => x / n));
};

describe('DeViSE training (hinge rank loss)', () => {
  it('learns to score each image its own label vector first, and survives a save/load', async () => {
    const { tf } = await selectBackend('wasm');
    // Three labels with distinct word vectors; images are noisy prototypes in an 8-d visual space.
    const labelVectors = [unit([1, 0, 0, 0.2]), unit([0, 1, 0.3, 0]), unit([0.1, 0, 1, 1])];
    const prototypes = [
      unit([1, 1, 0, 0, 0, 0, 0, 0]),
      unit([0, 0, 1, 1, 0, 0, 0, 0]),
      unit([0, 0, 0, 0, 1, 1, 1, 0]),
    ];
    let seed = 1;
    const noise = (): number => ((seed = (seed * 16807) % 2147483647) / 2147483647 - 0.5) * 0.3;
    const labels = Array.from({ length: 90 }, (_, i) => i % 3);
    const visual = labels.map((l) => unit(Array.from(prototypes[l]!, (x) => x + noise())));
    const before = tf.memory().numTensors;

    const trained = await trainDeviseHead(
      tf,
      { visual, labels, labelVectors },
      { epochs: 60, batchSize: 16, learningRate: 0.05 },
    );

    expect(tf.memory().numTensors).toBe(before);
    const dir = join(mkdtempSync(join(tmpdir(), 'catalens-devise-')), 'head');
    saveDeviseHead(dir, { ...trained, meta: { id: 'test-head', visualModel: 'synthetic' } });
    const loaded = loadDeviseHead(dir);
    const projector = new DeviseProjector('test-head', loaded.kernel, loaded.visualDim, loaded.semanticDim);
    const correct = visual.filter((v, i) => {
      const s = projector.project(v);
      const scores = labelVectors.map((t) => t.reduce((a, x, k) => a + x * s[k]!, 0));
      return scores.indexOf(Math.max(...scores)) === labels[i];
    }).length;
    expect(correct / visual.length).toBeGreaterThan(0.95);
    expect(trained.finalLoss).toBeLessThan(0.05);
  }, 60_000);

  it('refuses a directory that is not a head, saying how to make one', () => {
    expect(() => loadDeviseHead(tmpdir())).toThrow(/catalens train devise/);
  });
});
