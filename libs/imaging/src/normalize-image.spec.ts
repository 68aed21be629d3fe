import sharp from 'sharp';
import { baseJpeg, withCorruptScan } from '../../../test/fixtures/bad-inputs/images';
import { animatedGif, gradientImage, pngPixelBomb } from '../../../test/fixtures/images';
import { ImageRejectedError } from './errors';
import { normalizeImage } from './normalize-image';
import { hammingDistance } from './perceptual-hash';
import { sniffImageFormat } from './sniff';

const rejection = async (input: Buffer, options = {}) => {
  try {
    await normalizeImage(input, options);
  } catch (error) {
    if (error instanceof ImageRejectedError) return error;
    throw error;
  }
  throw new Error('expected the image to be rejected');
};

describe('normalizeImage', () => {
  it('shrinks a large photo to 512 px on the long side and keeps the aspect ratio', async () => {
    const input = await gradientImage(1600, 1200).jpeg().toBuffer();
    const out = await normalizeImage(input);
    expect([out.width, out.height]).toEqual([512, 384]);
    expect(out.mime).toBe('image/jpeg');
    expect(sniffImageFormat(out.bytes)).toBe('jpeg');
    expect(out.contentHash).toMatch(/^[0-9a-f]{64}$/);
    expect(out.perceptualHash).toMatch(/^[0-9a-f]{16}$/);
  });

  it('never enlarges a small image', async () => {
    const out = await normalizeImage(await gradientImage(200, 100).png().toBuffer());
    expect([out.width, out.height]).toEqual([200, 100]);
  });

  it('applies EXIF orientation and strips all metadata', async () => {
    const rotated = await gradientImage(300, 100).jpeg().withMetadata({ orientation: 6 }).toBuffer();
    const out = await normalizeImage(rotated);
    expect([out.width, out.height]).toEqual([100, 300]);
    const meta = await sharp(out.bytes).metadata();
    expect(meta.exif).toBeUndefined();
    expect(meta.orientation).toBeUndefined();
  });

  it('converts CMYK to sRGB and flattens transparency', async () => {
    const cmyk = await gradientImage(120, 120).toColourspace('cmyk').jpeg().toBuffer();
    expect((await sharp(cmyk).metadata()).space).toBe('cmyk');
    expect((await sharp((await normalizeImage(cmyk)).bytes).metadata()).space).toBe('srgb');
    const withAlpha = await gradientImage(120, 120, 4).png().toBuffer();
    expect((await sharp((await normalizeImage(withAlpha)).bytes).metadata()).hasAlpha).toBe(false);
  });

  it('gives the same content hash for the same input and a near perceptual hash for a re-encoded copy', async () => {
    const image = gradientImage(640, 480);
    const a = await normalizeImage(await image.clone().jpeg({ quality: 95 }).toBuffer());
    const b = await normalizeImage(await image.clone().jpeg({ quality: 95 }).toBuffer());
    const c = await normalizeImage(await image.clone().resize(500).webp({ quality: 60 }).toBuffer());
    expect(a.contentHash).toBe(b.contentHash);
    expect(c.contentHash).not.toBe(a.contentHash);
    expect(hammingDistance(a.perceptualHash, c.perceptualHash)).toBeLessThanOrEqual(6);
  });

  it.each([
    ['an empty body', Buffer.alloc(0), 'IMAGE_EMPTY', 422],
    [
      'HTML',
      Buffer.from('<!DOCTYPE html><html><body>not an image</body></html>'),
      'IMAGE_UNSUPPORTED_TYPE',
      415,
    ],
    [
      'SVG',
      Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>'),
      'IMAGE_UNSUPPORTED_TYPE',
      415,
    ],
    ['random bytes', Buffer.from('definitely not an image, just text'), 'IMAGE_UNSUPPORTED_TYPE', 415],
  ])('refuses %s with %s (%i)', async (_what, input, code, status) => {
    const error = await rejection(input);
    expect(error.code).toBe(code);
    expect(error.status).toBe(status);
  });

  it('refuses a truncated JPEG as corrupt', async () => {
    const jpeg = await gradientImage(400, 300).jpeg().toBuffer();
    const error = await rejection(jpeg.subarray(0, Math.floor(jpeg.length / 2)));
    expect(error.code).toBe('IMAGE_CORRUPT');
    expect(error.message).toMatch(/cannot be decoded/);
  });

  it('refuses JPEGs whose scan data is damaged, which libjpeg only warns about', async () => {
    const jpeg = await baseJpeg();
    for (const seed of [1, 2, 3, 4, 5, 6, 7, 8]) {
      const error = await rejection(withCorruptScan(jpeg, seed));
      expect([seed, error.code]).toEqual([seed, 'IMAGE_CORRUPT']);
      expect(error.message).toMatch(/Corrupt JPEG data|cannot be decoded/);
    }
  });

  it('refuses a 1×1 image as too small to be useful', async () => {
    const error = await rejection(await gradientImage(1, 1).png().toBuffer());
    expect(error).toMatchObject({ code: 'IMAGE_TOO_SMALL', status: 422 });
    expect(error.message).toContain('1×1');
  });

  it('refuses a pixel bomb from its header, before decoding', async () => {
    const started = Date.now();
    const error = await rejection(await pngPixelBomb(50_000, 50_000));
    expect(error).toMatchObject({ code: 'IMAGE_TOO_MANY_PIXELS', status: 413 });
    expect(error.message).toContain('50000×50000');
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('refuses an animated GIF and accepts a still one', async () => {
    const error = await rejection(await animatedGif(3));
    expect(error.code).toBe('IMAGE_ANIMATED');
    expect(error.message).toContain('3 frames');
    const still = await gradientImage(64, 64).gif().toBuffer();
    await expect(normalizeImage(still)).resolves.toMatchObject({ width: 64, height: 64 });
  });

  it('refuses input over the byte limit', async () => {
    const error = await rejection(Buffer.alloc(2048, 0xff), { maxBytes: 1024 });
    expect(error).toMatchObject({ code: 'IMAGE_TOO_LARGE', status: 413 });
  });
});
