// Jest runs each test file in a vm context with its own Float32Array, Uint8Array…; native
// add-ons (onnxruntime-node) create typed arrays of Node's main realm, which then fail
// onnxruntime-common's `instanceof Float32Array` inside the test's realm. Tests of native engines
// opt in with `@jest-environment ./test/support/native-typed-arrays-environment.js`; production
// code runs without a vm and never sees the difference.
const { TestEnvironment } = require('jest-environment-node');

const TYPED_ARRAYS = [
  'ArrayBuffer',
  'Int8Array',
  'Uint8Array',
  'Uint8ClampedArray',
  'Int16Array',
  'Uint16Array',
  'Int32Array',
  'Uint32Array',
  'Float32Array',
  'Float64Array',
  'BigInt64Array',
  'BigUint64Array',
];

class NativeTypedArraysEnvironment extends TestEnvironment {
  constructor(config, context) {
    super(config, context);
    for (const name of TYPED_ARRAYS) this.global[name] = globalThis[name];
  }
}

module.exports = NativeTypedArraysEnvironment;
