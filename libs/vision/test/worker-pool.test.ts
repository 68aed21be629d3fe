import { existsSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import type { Worker } from 'node:worker_threads';
import { EncoderWorkerExitedError, ImageDecodeError, TfImageEncoder, WorkerPoolImageEncoder } from '../src';
import { waitFor } from '../../../test/support/services';

// Worker threads load the compiled worker (dist/encoder/encoder-worker.js): npm test builds first.
const photo = (seed: number): Promise<Buffer> =>
  sharp({
    create: {
      width: 96 + seed,
      height: 80,
      channels: 3,
      background: { r: (seed * 53) % 256, g: (seed * 97) % 256, b: (seed * 29) % 256 },
    },
  })
    .composite([
      {
        input: {
          create: {
            width: 30,
            height: 30,
            channels: 3,
            background: { r: 255 - seed * 10, g: seed * 7, b: 90 },
          },
        },
        left: seed,
        top: 10,
      },
    ])
    .png()
    .toBuffer();

describe('WorkerPoolImageEncoder', () => {
  let pool: WorkerPoolImageEncoder;
  let photos: Buffer[];
  beforeAll(async () => {
    if (!existsSync(join(__dirname, '..', 'dist', 'encoder', 'encoder-worker.js'))) {
      throw new Error('libs/vision/dist is missing: run `npm run build` (npm test builds first)');
    }
    pool = await WorkerPoolImageEncoder.create({ workers: 2, chunk: 4 });
    photos = await Promise.all(Array.from({ length: 12 }, (_, i) => photo(i)));
  }, 60_000);
  afterAll(() => pool.close());

  it('starts one model per worker and reports what it runs', () => {
    expect(pool.size).toBe(2);
    expect(pool.id).toBe('efficientnet-lite0-224');
    expect(pool.dim).toBe(1280);
  });

  it('returns the same vectors, in the same order, as one encoder in this thread', async () => {
    const single = await TfImageEncoder.create();
    const expected = await single.encode(photos);
    await single.close();
    const got = await pool.encode(photos); // three chunks of 4 spread over both workers
    expect(got).toHaveLength(12);
    got.forEach((v, i) => expect(v.reduce((s, x, k) => s + x * expected[i]![k]!, 0)).toBeGreaterThan(0.9999));
  }, 60_000);

  it('names the undecodable image by its index in the whole call', async () => {
    const batch = [...photos.slice(0, 9), Buffer.from('junk'), ...photos.slice(9)];
    const error = await pool.encode(batch).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ImageDecodeError);
    expect((error as ImageDecodeError).index).toBe(9);
  });

  it('returns class probabilities for ConSE', async () => {
    const [encoded] = await pool.encodeWithProbabilities([photos[0]!]);
    expect(encoded!.probabilities).toHaveLength(1000);
    expect(encoded!.probabilities!.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 3);
  });

  it('fails only the dead worker’s requests, keeps serving, and replaces the worker', async () => {
    const expected = await pool.encode(photos.slice(0, 4));
    const workers = (pool as unknown as { workers: { worker: Worker }[] }).workers;
    // Three chunks over two workers: one of them is on the worker that dies.
    const inFlight = pool.encode(photos).catch((e: unknown) => e);
    await workers[0]!.worker.terminate();
    expect(await inFlight).toBeInstanceOf(EncoderWorkerExitedError);
    // The other worker serves while the replacement loads its model.
    const meanwhile = await pool.encode(photos.slice(0, 4));
    meanwhile.forEach((v, i) =>
      expect(v.reduce((s, x, k) => s + x * expected[i]![k]!, 0)).toBeGreaterThan(0.9999),
    );
    await waitFor('a replacement worker', async () => (pool.size === 2 ? true : undefined), 60_000);
    expect(pool.replaced).toBe(1);
    const after = await pool.encode(photos.slice(0, 4));
    after.forEach((v, i) =>
      expect(v.reduce((s, x, k) => s + x * expected[i]![k]!, 0)).toBeGreaterThan(0.9999),
    );
  }, 90_000);
});
