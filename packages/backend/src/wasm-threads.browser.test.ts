import plainWasm from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import simdWasm from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import threadedWasm from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { useBackend } from './use-backend';

const wasmPaths = {
  'tfjs-backend-wasm.wasm': plainWasm,
  'tfjs-backend-wasm-simd.wasm': simdWasm,
  'tfjs-backend-wasm-threaded-simd.wasm': threadedWasm,
};

/** Products big enough for XNNPACK to split between threads, and a few elementwise ops. */
async function compute(): Promise<Float32Array> {
  const y = tf.tidy(() => {
    const a = tf.randomUniform([256, 384], -1, 1, 'float32', 1);
    const b = tf.randomUniform([384, 320], -1, 1, 'float32', 2);
    const h = tf.matMul(a, b);
    return tf.concat([tf.tanh(h), tf.matMul(h, h, true, false)], 0);
  });
  const values = Float32Array.from(await y.data());
  y.dispose();
  return values;
}

describe('wasm threads in Chromium (a cross-origin isolated page: COOP/COEP headers)', () => {
  it('the page is cross-origin isolated, so SharedArrayBuffer exists', () => {
    expect(globalThis.crossOriginIsolated).toBe(true);
    expect(typeof SharedArrayBuffer).toBe('function');
  });

  it('runs the threaded build with 2 threads and computes the same bits as 1 thread', async () => {
    const one = await useBackend('wasm', { wasmPaths, threads: 1 });
    expect(one.threads).toBe(1);
    const single = await compute();
    const two = await useBackend('wasm', { wasmPaths, threads: 2 });
    expect(two).toMatchObject({ backend: 'wasm', platform: 'browser', threads: 2 });
    expect(await compute()).toEqual(single);
  });
});
