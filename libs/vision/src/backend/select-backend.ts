import type * as TfModule from '@tensorflow/tfjs';

export type Tf = typeof TfModule;
export type BackendName = 'tensorflow-gpu' | 'tensorflow' | 'wasm' | 'cpu';
export const BACKEND_ORDER: readonly BackendName[] = ['tensorflow-gpu', 'tensorflow', 'wasm', 'cpu'];

export interface TfRuntime {
  tf: Tf;
  backend: BackendName;
  /** Backends tried before the chosen one, and why each was passed over (for the start-up log). */
  skipped: { backend: BackendName; reason: string }[];
}

/* eslint-disable @typescript-eslint/no-require-imports -- optional native bindings are probed at run time */
const loaders: Record<BackendName, () => Promise<Tf>> = {
  // The native bindings bring their own tfjs-core and register the "tensorflow" backend on it.
  'tensorflow-gpu': () => Promise.resolve(require('@tensorflow/tfjs-node-gpu') as Tf),
  tensorflow: () => Promise.resolve(require('@tensorflow/tfjs-node') as Tf),
  wasm: async () => {
    const tf = require('@tensorflow/tfjs') as Tf;
    require('@tensorflow/tfjs-backend-wasm');
    if (!(await tf.setBackend('wasm'))) throw new Error('the wasm backend did not initialize');
    return tf;
  },
  cpu: async () => {
    const tf = require('@tensorflow/tfjs') as Tf;
    await tf.setBackend('cpu');
    return tf;
  },
};
/* eslint-enable @typescript-eslint/no-require-imports */

/**
 * Picks the fastest TF.js backend this machine can run, in the order GPU (tfjs-node-gpu) →
 * native CPU (tfjs-node) → WebAssembly (SIMD, one thread per instance) → pure JS. The native
 * packages are optional: install them in GPU/CPU images; their absence is not an error.
 * `only` restricts the choice (e.g. `TF_BACKEND=wasm`).
 */
export async function selectBackend(only?: BackendName): Promise<TfRuntime> {
  const skipped: TfRuntime['skipped'] = [];
  for (const backend of only ? [only] : BACKEND_ORDER) {
    try {
      const tf = await loaders[backend]();
      await tf.ready();
      return { tf, backend, skipped };
    } catch (error) {
      skipped.push({ backend, reason: (error as Error).message.split('\n')[0]! });
    }
  }
  throw new Error(
    `no TF.js backend could start: ${skipped.map((s) => `${s.backend}: ${s.reason}`).join('; ')}`,
  );
}
