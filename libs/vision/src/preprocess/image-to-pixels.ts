import sharp from 'sharp';
import type { ModelManifest } from '../model/model-manifest';

/**
 * Decodes an image and resizes it the way the model was trained: RGB, `inputSize` square,
 * squashed or centre-cropped. Returns interleaved 8-bit RGB.
 */
export async function imageToPixels(image: Buffer, manifest: ModelManifest): Promise<Uint8Array> {
  const size = manifest.inputSize;
  const { data, info } = await sharp(image, { failOn: 'error' })
    .autoOrient()
    .removeAlpha()
    .toColourspace('srgb')
    .resize(size, size, { fit: manifest.resize === 'squash' ? 'fill' : 'cover', kernel: 'linear' })
    .raw()
    .toBuffer({ resolveWithObject: true });
  if (info.channels !== 3 || data.length !== size * size * 3) {
    throw new Error(
      `decoded image has ${info.channels} channels at ${info.width}×${info.height}, expected RGB ${size}×${size}`,
    );
  }
  return data;
}

/** Writes pixels into a batch buffer at `row`, mapped linearly from 0..255 onto the model's range. */
export function writePixels(
  target: Float32Array,
  row: number,
  pixels: Uint8Array,
  [lo, hi]: readonly [number, number],
): void {
  const scale = (hi - lo) / 255;
  const offset = row * pixels.length;
  for (let i = 0; i < pixels.length; i++) target[offset + i] = lo + pixels[i]! * scale;
}
