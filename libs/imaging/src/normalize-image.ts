import { createHash } from 'node:crypto';
import sharp from 'sharp';
import { ImageRejectedError } from './errors';
import { differenceHash } from './perceptual-hash';
import { type SniffedFormat, sniffImageFormat } from './sniff';

export interface NormalizeOptions {
  /** Refuse inputs larger than this many bytes. */
  maxBytes: number;
  /** Refuse images whose header declares more pixels (decompression bombs stop before decoding). */
  maxPixels: number;
  /** Long side of the normalized image. */
  maxSide: number;
  /** Refuse images whose shorter side is below this after orientation (thumbnails, tracking pixels). */
  minSide: number;
  output: 'jpeg' | 'webp';
  quality: number;
}

export const DEFAULT_NORMALIZE_OPTIONS: NormalizeOptions = {
  maxBytes: 20 * 1024 * 1024,
  maxPixels: 40_000_000,
  maxSide: 512,
  minSide: 32,
  output: 'jpeg',
  quality: 85,
};

export interface NormalizedImage {
  bytes: Buffer;
  mime: 'image/jpeg' | 'image/webp';
  width: number;
  height: number;
  /** SHA-256 (hex) of `bytes`: exact duplicates. */
  contentHash: string;
  /** 64-bit dHash (16 hex digits): near duplicates. */
  perceptualHash: string;
  sourceFormat: SniffedFormat;
  sourceWidth: number;
  sourceHeight: number;
}

const ACCEPTED: ReadonlySet<SniffedFormat> = new Set(['jpeg', 'png', 'webp', 'gif', 'avif', 'tiff']);

/**
 * Turns untrusted image bytes into the canonical form the pipeline works on: orientation from
 * EXIF applied, all metadata stripped, sRGB, alpha flattened onto white, long side ≤ maxSide,
 * re-encoded. Every refusal is an ImageRejectedError with a code and a reason a client can act on.
 */
export async function normalizeImage(
  input: Buffer,
  options: Partial<NormalizeOptions> = {},
): Promise<NormalizedImage> {
  const o = { ...DEFAULT_NORMALIZE_OPTIONS, ...options };
  if (input.length === 0) throw new ImageRejectedError('IMAGE_EMPTY', 'the image has 0 bytes');
  if (input.length > o.maxBytes) {
    throw new ImageRejectedError(
      'IMAGE_TOO_LARGE',
      `the image has ${input.length} bytes; the limit is ${o.maxBytes}`,
    );
  }
  const format = sniffImageFormat(input);
  if (!ACCEPTED.has(format)) {
    const what =
      format === 'unknown'
        ? 'not a recognised image format'
        : `${format.toUpperCase()}, which is not accepted`;
    throw new ImageRejectedError(
      'IMAGE_UNSUPPORTED_TYPE',
      `the bytes are ${what}; send JPEG, PNG, WebP, AVIF, TIFF or GIF`,
    );
  }

  // `failOn: 'error'` refuses truncated and corrupt pixel data instead of padding it with grey.
  // For JPEG, libjpeg reports damaged entropy-coded scans ("Corrupt JPEG data: bad Huffman code")
  // only as warnings and decodes garbage, so JPEG fails on warnings: 35 of 50 JPEGs with 40 random
  // bytes in their scans were refused that way and none with `error`, while all 4,278 real catalog
  // photos of ../shared/datasets still decode. Other formats keep `error`: PNG warnings are mostly
  // harmless metadata complaints (an iCCP profile libpng dislikes) on images that decode fine.
  // The pixel limit is checked against the header before any decoding.
  const failOn = format === 'jpeg' ? 'warning' : 'error';
  const open = () =>
    sharp(input, { failOn, limitInputPixels: o.maxPixels, animated: false, sequentialRead: true });
  let meta: sharp.Metadata;
  try {
    // Reading the header decodes no pixels, so it may skip the limit and report the real size.
    meta = await sharp(input, { failOn, limitInputPixels: false, animated: true }).metadata();
  } catch (error) {
    throw corrupt(error, format, o.maxPixels);
  }
  if ((meta.pages ?? 1) > 1 && (format === 'gif' || format === 'webp')) {
    throw new ImageRejectedError(
      'IMAGE_ANIMATED',
      `the ${format.toUpperCase()} is animated (${meta.pages} frames); send a still image`,
    );
  }
  const width = meta.autoOrient?.width ?? meta.width ?? 0;
  const height = meta.autoOrient?.height ?? meta.height ?? 0;
  if (width * height > o.maxPixels) {
    throw new ImageRejectedError(
      'IMAGE_TOO_MANY_PIXELS',
      `the image is ${width}×${height} pixels; the limit is ${o.maxPixels} pixels`,
    );
  }
  if (Math.min(width, height) < o.minSide) {
    throw new ImageRejectedError(
      'IMAGE_TOO_SMALL',
      `the image is ${width}×${height}; both sides must be at least ${o.minSide} pixels`,
    );
  }

  // Decode, orient and resize once into raw sRGB pixels; the encoder and the perceptual hash
  // both start from them (decoding the encoded result again for the hash cost ~40% of the time).
  // Plain libjpeg-turbo, not mozjpeg: mozjpeg's trellis search made normalization 4.4× slower
  // (50 vs 222 img/s on catalog photos, bench/RESULTS.md) for ~15% smaller files.
  let output: { data: Buffer; info: sharp.OutputInfo };
  let perceptualHash: string;
  try {
    const pixels = await open()
      .autoOrient()
      .resize(o.maxSide, o.maxSide, { fit: 'inside', withoutEnlargement: true })
      .toColourspace('srgb')
      .flatten({ background: '#ffffff' })
      .raw()
      .toBuffer({ resolveWithObject: true });
    const raw = {
      raw: { width: pixels.info.width, height: pixels.info.height, channels: pixels.info.channels },
    };
    const encoder = sharp(pixels.data, raw);
    [output, perceptualHash] = await Promise.all([
      (o.output === 'webp'
        ? encoder.webp({ quality: o.quality })
        : encoder.jpeg({ quality: o.quality })
      ).toBuffer({ resolveWithObject: true }),
      differenceHash(pixels.data, raw),
    ]);
  } catch (error) {
    throw corrupt(error, format, o.maxPixels);
  }
  return {
    bytes: output.data,
    mime: o.output === 'webp' ? 'image/webp' : 'image/jpeg',
    width: output.info.width,
    height: output.info.height,
    contentHash: createHash('sha256').update(output.data).digest('hex'),
    perceptualHash,
    sourceFormat: format,
    sourceWidth: width,
    sourceHeight: height,
  };
}

function corrupt(error: unknown, format: SniffedFormat, maxPixels: number): ImageRejectedError {
  const message = error instanceof Error ? error.message : String(error);
  if (/pixel limit/i.test(message)) {
    return new ImageRejectedError(
      'IMAGE_TOO_MANY_PIXELS',
      `the image declares more than ${maxPixels} pixels`,
    );
  }
  const reason = message.split('\n')[0]!.slice(0, 160);
  return new ImageRejectedError(
    'IMAGE_CORRUPT',
    `the ${format.toUpperCase()} data cannot be decoded (${reason}); re-export the image`,
  );
}
