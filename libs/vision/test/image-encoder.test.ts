import { readFileSync } from 'node:fs';
import sharp from 'sharp';
import { ImageDecodeError, NSFWJS_MOBILENET_DIR, TfImageEncoder, selectBackend } from '../src';
import { datasetDir, describeWithDataset, readLabels } from '../../../test/support/datasets';

const cos = (a: Float32Array, b: Float32Array): number => a.reduce((s, x, i) => s + x * b[i]!, 0);

/** A photo-like test image that needs no dataset: smooth colour fields plus noise. */
async function syntheticPhoto(seed: number): Promise<Buffer> {
  const w = 160;
  const h = 120;
  const raw = Buffer.alloc(w * h * 3);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++)
      for (let c = 0; c < 3; c++)
        raw[(y * w + x) * 3 + c] =
          (x * (seed + c + 1) + y * (seed * 3 + c) + ((x * y * (seed + 7)) % 23)) % 256;
  return sharp(raw, { raw: { width: w, height: h, channels: 3 } })
    .jpeg()
    .toBuffer();
}

describe('TfImageEncoder with the shipped model', () => {
  let encoder: TfImageEncoder;
  let photos: Buffer[];
  beforeAll(async () => {
    encoder = await TfImageEncoder.create();
    photos = await Promise.all([1, 2, 3, 4, 5].map(syntheticPhoto));
  }, 60_000);
  afterAll(() => encoder.close());

  it('runs on the best available backend and says why it skipped the others', () => {
    expect(['tensorflow-gpu', 'tensorflow', 'wasm', 'cpu']).toContain(encoder.backend);
    encoder.skippedBackends.forEach((s) => expect(s.reason).not.toBe(''));
  });

  it('turns images into unit-length 1280-d visual vectors', async () => {
    const vectors = await encoder.encode(photos.slice(0, 2));
    expect(vectors).toHaveLength(2);
    for (const v of vectors) {
      expect(v).toHaveLength(1280);
      expect(Math.sqrt(cos(v, v))).toBeCloseTo(1, 5);
    }
  });

  it('gives an image the same vector alone as padded into a batch', async () => {
    const batch = await encoder.encode(photos); // 5 images run as a padded batch of 8
    const alone = await encoder.encode([photos[3]!]);
    expect(cos(batch[3]!, alone[0]!)).toBeGreaterThan(0.9999);
  });

  it('leaks no tensors across 100 batches', async () => {
    await encoder.encode([photos[0]!]);
    const before = encoder.numTensors();
    for (let i = 0; i < 100; i++) await encoder.encode([photos[i % 5]!]);
    expect(encoder.numTensors()).toBe(before);
  }, 120_000);

  it('names the image of a batch that cannot be decoded', async () => {
    const error = await encoder.encode([photos[0]!, Buffer.from('not an image')]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ImageDecodeError);
    expect((error as ImageDecodeError).index).toBe(1);
  });
});

describe('the alternative shipped model', () => {
  it('still loads and encodes (nsfwjs MobileNetV2 backbone)', async () => {
    const encoder = await TfImageEncoder.create({ modelDir: NSFWJS_MOBILENET_DIR });
    const [vector] = await encoder.encode([await syntheticPhoto(9)]);
    expect(encoder.id).toBe('nsfwjs-mobilenet-v2-224');
    expect(vector).toHaveLength(1280);
    await encoder.close();
  }, 60_000);
});

describe('backend selection', () => {
  it('falls back to the pure-JS cpu backend when asked', async () => {
    const runtime = await selectBackend('cpu');
    expect(runtime.backend).toBe('cpu');
    expect(runtime.tf.getBackend()).toBe('cpu');
  });

  it('keeps an encoder on its own backend after something else switched the thread to another', async () => {
    const encoder = await TfImageEncoder.create({ backend: 'wasm' });
    const runtime = await selectBackend('cpu');
    await encoder.encode([await syntheticPhoto(3)]);
    expect(runtime.tf.getBackend()).toBe('wasm');
    await encoder.close();
  }, 60_000);

  it('explains why a backend that is not installed cannot start', async () => {
    await expect(selectBackend('tensorflow-gpu')).rejects.toThrow(
      /tensorflow-gpu: Cannot find module '@tensorflow\/tfjs-node-gpu'/,
    );
  });
});

describeWithDataset('clothing', 'the shipped encoder on real catalog photos', () => {
  it('ranks same-garment photos first (similar-item precision@10 on 100 real photos, over 3× chance)', async () => {
    const encoder = await TfImageEncoder.create();
    const rows = readLabels(datasetDir('clothing')!);
    const labels = [...new Set(rows.map((r) => r.label))];
    const sample = labels.flatMap((label) => rows.filter((r) => r.label === label).slice(0, 10));
    const vectors = await encoder.encode(sample.map((r) => readFileSync(r.file)));
    let hits = 0;
    vectors.forEach((v, i) => {
      const top = vectors
        .map((w, j) => ({ j, s: j === i ? -Infinity : cos(v, w) }))
        .sort((a, b) => b.s - a.s)
        .slice(0, 10);
      hits += top.filter(({ j }) => sample[j]!.label === sample[i]!.label).length;
    });
    const precision = hits / (vectors.length * 10);
    console.log(
      `clothing similar-item precision@10 with ${encoder.id}: ${precision.toFixed(3)} (chance ${(1 / labels.length).toFixed(3)})`,
    );
    expect(precision).toBeGreaterThan(3 / labels.length);
    await encoder.close();
  }, 120_000);
});
