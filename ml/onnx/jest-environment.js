/**
 * Jest test environment for files that run onnxruntime-node: the native binding hands back
 * typed arrays from Node's own realm, which fail onnxruntime-common's `instanceof` checks
 * against the test sandbox's constructors. Sharing the typed-array constructors fixes it.
 * Use with a `@jest-environment ./ml/onnx/jest-environment.js` docblock.
 */
const { TestEnvironment } = require('jest-environment-node');

const SHARED = [
  'Float32Array',
  'Float64Array',
  'Int8Array',
  'Uint8Array',
  'Uint8ClampedArray',
  'Int16Array',
  'Uint16Array',
  'Int32Array',
  'Uint32Array',
  'BigInt64Array',
  'BigUint64Array',
];

class OnnxEnvironment extends TestEnvironment {
  constructor(config, context) {
    super(config, context);
    for (const name of SHARED) this.global[name] = globalThis[name];
  }
}

module.exports = OnnxEnvironment;
