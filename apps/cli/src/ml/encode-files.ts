import { readFileSync } from 'node:fs';
import type { ImageEncoder } from '@catalens/vision';
import { SingleBar } from 'cli-progress';

/**
 * Visual vectors of images (file paths or bytes), in order, `chunk` per encoder call, with a
 * progress bar on stderr.
 */
export async function encodeFiles(
  encoder: ImageEncoder,
  files: readonly (string | Buffer)[],
  title: string,
  chunk: number,
): Promise<Float32Array[]> {
  const bar = new SingleBar({
    format: `${title} [{bar}] {value}/{total} images | {eta_formatted} left`,
    stream: process.stderr,
  });
  const vectors: Float32Array[] = [];
  bar.start(files.length, 0);
  try {
    for (let i = 0; i < files.length; i += chunk) {
      vectors.push(
        ...(await encoder.encode(
          files.slice(i, i + chunk).map((f) => (typeof f === 'string' ? readFileSync(f) : f)),
        )),
      );
      bar.update(vectors.length);
    }
    return vectors;
  } finally {
    bar.stop();
  }
}
