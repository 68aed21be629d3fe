import sharp from 'sharp';

/**
 * 64-bit difference hash (dHash, Krawetz 2013): shrink to 9×8 grey, one bit per horizontal
 * neighbour comparison. Robust to re-encoding and resizing; near-duplicates differ in few bits.
 * `input` describes raw pixels (sharp's `raw` option) when `image` is not an encoded file.
 */
export async function differenceHash(image: Buffer, input?: sharp.SharpOptions): Promise<string> {
  const { data } = await sharp(image, input)
    .greyscale()
    .resize(9, 8, { fit: 'fill', kernel: 'lanczos3' })
    .raw()
    .toBuffer({ resolveWithObject: true });
  let bits = 0n;
  for (let row = 0; row < 8; row++) {
    for (let col = 0; col < 8; col++) {
      const left = data[row * 9 + col]!;
      const right = data[row * 9 + col + 1]!;
      bits = (bits << 1n) | (left > right ? 1n : 0n);
    }
  }
  return bits.toString(16).padStart(16, '0');
}

/** Bits that differ between two 16-hex-digit hashes (0 = same picture, 64 = opposite). */
export function hammingDistance(a: string, b: string): number {
  let x = BigInt(`0x${a}`) ^ BigInt(`0x${b}`);
  let count = 0;
  while (x > 0n) {
    count += Number(x & 1n);
    x >>= 1n;
  }
  return count;
}

/** The hash as a signed 64-bit integer, the form Postgres stores in a bigint column. */
export function hashToSignedBigInt(hash: string): bigint {
  return BigInt.asIntN(64, BigInt(`0x${hash}`));
}

export function signedBigIntToHash(value: bigint): string {
  return BigInt.asUintN(64, value).toString(16).padStart(16, '0');
}
