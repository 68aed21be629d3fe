import type { BackendName } from '../backend/select-backend';
import { TfImageEncoder, type EncodeTiming, type EncodedImage } from './image-encoder';
import { OnnxImageEncoder } from './onnx-image-encoder';

/**
 * The inference engines behind the ImageEncoder port (EMBEDDER_ENGINE): ONNX Runtime's CPU
 * provider (default; ~5× TF.js wasm per core, issue 24), or TF.js on WebAssembly, libtensorflow
 * (tfjs-node) or libtensorflow with CUDA 11 (tfjs-node-gpu), or TF.js's pure-JS backend.
 */
export const ENGINES = ['onnx', 'tfjs-wasm', 'tfjs-node', 'tfjs-node-gpu', 'tfjs-cpu'] as const;
export type EngineName = (typeof ENGINES)[number];

const TF_BACKEND: Record<Exclude<EngineName, 'onnx'>, BackendName> = {
  'tfjs-wasm': 'wasm',
  'tfjs-node': 'tensorflow',
  'tfjs-node-gpu': 'tensorflow-gpu',
  'tfjs-cpu': 'cpu',
};

/** What one thread runs: either engine, the same calls. */
export interface LocalImageEncoder {
  readonly id: string;
  readonly dim: number;
  readonly backend: string;
  readonly labels: readonly string[] | null;
  encode(images: readonly Buffer[]): Promise<Float32Array[]>;
  encodeWithProbabilities(images: readonly Buffer[]): Promise<EncodedImage[]>;
  encodeTimed(
    images: readonly Buffer[],
    withProbabilities: boolean,
  ): Promise<{ encoded: EncodedImage[]; timing: EncodeTiming }>;
  encodePixels(pixels: readonly Uint8Array[]): Promise<Float32Array[]>;
  close(): Promise<void>;
}

export interface EngineOptions {
  modelDir?: string;
  /** Default `onnx`. */
  engine?: EngineName;
  /** A TF.js backend by its TF.js name (tests, benchmarks); implies a TF.js engine. */
  backend?: BackendName;
}

/**
 * Starts the engine asked for in this thread. `onnx` falls back to TF.js on WebAssembly when it
 * cannot load (no ONNX export of this model, no binding for this platform), and says why in
 * `fallback`, for the caller to log; a TF.js engine that cannot start is an error.
 */
export async function createLocalEncoder(
  options: EngineOptions = {},
): Promise<{ encoder: LocalImageEncoder; fallback?: string }> {
  const modelDir = options.modelDir ? { modelDir: options.modelDir } : {};
  const engine = options.engine ?? (options.backend ? undefined : 'onnx');
  if (engine === 'onnx') {
    try {
      return { encoder: await OnnxImageEncoder.create(modelDir) };
    } catch (error) {
      const reason = `the onnx engine cannot load (${(error as Error).message.split('\n')[0]}); using tfjs-wasm`;
      return { encoder: await TfImageEncoder.create({ ...modelDir, backend: 'wasm' }), fallback: reason };
    }
  }
  const backend = engine ? TF_BACKEND[engine] : options.backend;
  return { encoder: await TfImageEncoder.create({ ...modelDir, ...(backend ? { backend } : {}) }) };
}
