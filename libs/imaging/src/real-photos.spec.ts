import { readFileSync } from 'node:fs';
import sharp from 'sharp';
import { describeWithDataset, readLabels } from '../../../test/support/datasets';
import { normalizeImage } from './normalize-image';
import { hammingDistance } from './perceptual-hash';

describeWithDataset('clothing', 'normalizeImage on real catalog photos', (dir) => {
  const photos = () => readLabels(dir).filter((_, i) => i % 60 === 0); // ~40 photos across classes

  it('normalizes every photo to a JPEG within 512 px', async () => {
    for (const photo of photos()) {
      const out = await normalizeImage(readFileSync(photo.file));
      expect(Math.max(out.width, out.height)).toBeLessThanOrEqual(512);
      expect((await sharp(out.bytes).metadata()).format).toBe('jpeg');
    }
  });

  it('keeps a re-encoded, resized copy within the near-duplicate distance and tells different photos apart', async () => {
    const list = photos();
    const hashes = await Promise.all(
      list.map(async (p) => (await normalizeImage(readFileSync(p.file))).perceptualHash),
    );
    let copiesNear = 0;
    for (const [i, photo] of list.entries()) {
      const copy = await sharp(readFileSync(photo.file)).resize(200).jpeg({ quality: 50 }).toBuffer();
      if (hammingDistance((await normalizeImage(copy)).perceptualHash, hashes[i]!) <= 6) copiesNear++;
    }
    let distinctFar = 0;
    let pairs = 0;
    for (let i = 0; i < hashes.length; i++)
      for (let j = i + 1; j < hashes.length; j++) {
        pairs++;
        if (hammingDistance(hashes[i]!, hashes[j]!) > 6) distinctFar++;
      }
    console.log(
      `dHash: ${copiesNear}/${list.length} re-encoded copies within 6 bits; ${distinctFar}/${pairs} distinct pairs beyond 6 bits`,
    );
    expect(copiesNear / list.length).toBeGreaterThanOrEqual(0.9);
    expect(distinctFar / pairs).toBeGreaterThanOrEqual(0.97);
  });
});
