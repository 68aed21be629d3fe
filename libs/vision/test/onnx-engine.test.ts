/**
 * @jest-environment ./test/support/native-typed-arrays-environment.js
 */
import { readFileSync } from 'node:fs';
import sharp from 'sharp';
import {
  NSFWJS_MOBILENET_DIR,
  OnnxImageEncoder,
  TfImageEncoder,
  WorkerPoolImageEncoder,
  createLocalEncoder,
} from '../src';
import { datasetDir, describeWithDataset, firstPhotos } from '../../../test/support/datasets';

const cos = (a: Float32Array, b: Float32Array): number => a.reduce((s, x, i) => s + x * b[i]!, 0);
const top1 = (p: Float32Array): number => p.indexOf(Math.max(...p));

/** A photo-like image that needs no dataset. */
async function syntheticPhoto(seed: number): Promise<Buffer> {
  const w = 150;
  const h = 110;
  const raw = Buffer.alloc(w * h * 3);
  for (let i = 0; i < raw.length; i++) raw[i] = (i * (seed + 3) + (i >> 7) * seed + ((i * i) % 31)) % 256;
  return sharp(raw, { raw: { width: w, height: h, channels: 3 } })
    .jpeg()
    .toBuffer();
}

describe('the onnx engine with the shipped model', () => {
  let onnx: OnnxImageEncoder;
  let tfjs: TfImageEncoder;
  beforeAll(async () => {
    [onnx, tfjs] = await Promise.all([OnnxImageEncoder.create(), TfImageEncoder.create({ backend: 'wasm' })]);
  }, 60_000);
  afterAll(() => Promise.all([onnx.close(), tfjs.close()]));

  it('is the same model version as TF.js: same id, same size, same classes', () => {
    expect(onnx.id).toBe(tfjs.id);
    expect(onnx.dim).toBe(1280);
    expect(onnx.labels).toEqual(tfjs.labels);
    expect(onnx.backend).toBe('onnx-cpu');
  });

  it('gives the vectors and class probabilities TF.js gives, for any batch size', async () => {
    const photos = await Promise.all([1, 2, 3, 4, 5].map(syntheticPhoto));
    const [a, b] = await Promise.all([
      onnx.encodeWithProbabilities(photos),
      tfjs.encodeWithProbabilities(photos),
    ]);
    a.forEach((e, i) => {
      expect(Math.hypot(...e.visual)).toBeCloseTo(1, 5);
      expect(cos(e.visual, b[i]!.visual)).toBeGreaterThan(0.999);
      expect(e.probabilities!.reduce((s, p) => s + p, 0)).toBeCloseTo(1, 4);
    });
    const one = await onnx.encode(photos.slice(2, 3));
    expect(cos(one[0]!, a[2]!.visual)).toBeGreaterThan(0.99999);
  }, 60_000);

  it('refuses an undecodable image by its index in the batch', async () => {
    const photos = [await syntheticPhoto(1), Buffer.from('not an image')];
    await expect(onnx.encode(photos)).rejects.toMatchObject({ name: 'ImageDecodeError', index: 1 });
  });
});

describeWithDataset('clothing', 'the onnx and TF.js engines on real photos', () => {
  it('agree on 40 catalog photos: cosine ≥ 0.999 each, the same top class on ≥ 95 %', async () => {
    const labels = [
      'dress',
      'hat',
      'longsleeve',
      'outwear',
      'pants',
      'shirt',
      'shoes',
      'shorts',
      'skirt',
      't-shirt',
    ];
    const photos = firstPhotos(datasetDir('clothing')!, labels, 4).map((p) => readFileSync(p.file));
    const [onnx, tfjs] = await Promise.all([
      OnnxImageEncoder.create(),
      TfImageEncoder.create({ backend: 'wasm' }),
    ]);
    try {
      const [a, b] = await Promise.all([
        onnx.encodeWithProbabilities(photos),
        tfjs.encodeWithProbabilities(photos),
      ]);
      const cosines = a.map((e, i) => cos(e.visual, b[i]!.visual));
      const sameTop = a.filter((e, i) => top1(e.probabilities!) === top1(b[i]!.probabilities!)).length;
      expect(photos).toHaveLength(40);
      expect(Math.min(...cosines)).toBeGreaterThanOrEqual(0.999);
      expect(sameTop / photos.length).toBeGreaterThanOrEqual(0.95);
    } finally {
      await Promise.all([onnx.close(), tfjs.close()]);
    }
  }, 180_000);
});

describe('choosing the engine', () => {
  it('falls back to tfjs-wasm, saying why, for a model without an ONNX export', async () => {
    const { encoder, fallback } = await createLocalEncoder({
      modelDir: NSFWJS_MOBILENET_DIR,
      engine: 'onnx',
    });
    try {
      expect(encoder.backend).toBe('wasm');
      expect(fallback).toMatch(/the onnx engine cannot load \(.*no onnxFile.*\); using tfjs-wasm/);
    } finally {
      await encoder.close();
    }
  }, 60_000);

  it('runs onnx in every worker of a pool by default', async () => {
    const pool = await WorkerPoolImageEncoder.create({ workers: 2 });
    try {
      expect(pool.backend).toBe('onnx-cpu');
      expect(pool.fallback).toBeUndefined();
      const vectors = await pool.encode(await Promise.all([1, 2, 3].map(syntheticPhoto)));
      expect(vectors.map((v) => v.length)).toEqual([1280, 1280, 1280]);
    } finally {
      await pool.close();
    }
  }, 60_000);
});
