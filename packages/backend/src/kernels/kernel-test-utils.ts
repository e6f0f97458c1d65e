import * as tf from '@tensorflow/tfjs-core';
import { applyKernelFixes, removeKernelFixes } from './apply';

/** Runs `fn` (which returns tensors) with tfjs' stock wasm kernels and then with ours; values of both. */
export function stockAndFixed(fn: () => tf.Tensor | tf.Tensor[]): {
  stock: Float32Array[];
  fixed: Float32Array[];
} {
  const run = () =>
    tf.tidy(() => {
      const out = fn();
      return (Array.isArray(out) ? out : [out]).map((t) => Float32Array.from(t.dataSync()));
    });
  removeKernelFixes('wasm');
  const stock = run();
  applyKernelFixes('wasm');
  const fixed = run();
  return { stock, fixed };
}

/** Largest |a - b| over the largest |b|: matMul rounding, relative to the output's scale. */
export function relativeError(a: Float32Array, b: Float32Array): number {
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < b.length; i++) {
    diff = Math.max(diff, Math.abs(a[i] - b[i]));
    scale = Math.max(scale, Math.abs(b[i]));
  }
  return diff / Math.max(scale, 1e-30);
}

/** Number of tensors the wasm backend holds on its heap (what a leak inside a kernel would grow). */
export function backendDataIds(): number {
  return (tf.backend() as unknown as { numDataIds(): number }).numDataIds();
}

/** A seeded uniform tensor in [-1, 1). */
export function uniform(shape: number[], seed: number): tf.Tensor {
  return tf.randomUniform(shape, -1, 1, 'float32', seed);
}
