import plainWasm from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import simdWasm from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import threadedWasm from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { BackendUnavailableError } from './errors';
import { useBackend } from './use-backend';

/** A small RNN-shaped computation whose results every backend must agree on. */
async function compute(): Promise<number[]> {
  const y = tf.tidy(() => {
    const x = tf.tensor2d(
      Array.from({ length: 32 * 24 }, (_, i) => Math.sin(i * 0.37)),
      [32, 24],
    );
    const w = tf.tensor2d(
      Array.from({ length: 24 * 16 }, (_, i) => Math.cos(i * 0.11) / 4),
      [24, 16],
    );
    const h = tf.matMul(x, w);
    return tf.concat(
      [tf.sigmoid(h), tf.tanh(h), tf.reshape(tf.slice(h, [3, 2], [4, 8]), [2, 16])],
      0,
    );
  });
  const values = Array.from(await y.data());
  y.dispose();
  return values;
}

async function reference(): Promise<number[]> {
  await useBackend('cpu');
  return compute();
}

function maxDiff(a: number[], b: number[]): number {
  expect(a.length).toBe(b.length);
  return Math.max(...a.map((v, i) => Math.abs(v - b[i])));
}

describe('backends in Chromium', () => {
  it('webgl initialises on SwiftShader and agrees with cpu within 1e-3', async () => {
    const cpu = await reference();
    const info = await useBackend('webgl');
    expect(info).toMatchObject({ backend: 'webgl', device: 'gpu', platform: 'browser' });
    expect(info.adapter).toBeTruthy();
    expect(tf.getBackend()).toBe('webgl');
    expect(maxDiff(await compute(), cpu)).toBeLessThanOrEqual(1e-3);
  });

  it('webgpu initialises and agrees with cpu within 1e-3', async () => {
    const cpu = await reference();
    const info = await useBackend('webgpu');
    expect(info).toMatchObject({ backend: 'webgpu', device: 'gpu', platform: 'browser' });
    expect(tf.getBackend()).toBe('webgpu');
    expect(maxDiff(await compute(), cpu)).toBeLessThanOrEqual(1e-3);
  });

  it('wasm loads its binary from the given URLs and agrees with cpu within 1e-6', async () => {
    const cpu = await reference();
    const info = await useBackend('wasm', {
      wasmPaths: {
        'tfjs-backend-wasm.wasm': plainWasm,
        'tfjs-backend-wasm-simd.wasm': simdWasm,
        'tfjs-backend-wasm-threaded-simd.wasm': threadedWasm,
      },
    });
    expect(info).toMatchObject({ backend: 'wasm', platform: 'browser' });
    expect(maxDiff(await compute(), cpu)).toBeLessThanOrEqual(1e-6);
  });

  it('auto skips software GPUs in favour of wasm and says so', async () => {
    const info = await useBackend('auto');
    expect(info.reason).toBeDefined();
    expect(info.backend, info.reason).toBe('wasm');
    expect(info.reason).toMatch(/webgpu: .*software renderer|webgpu: /);
    expect(info.reason).toMatch(/webgl: the only adapter is a software renderer/);
  });

  it('rejects Node-only backends with the reason', async () => {
    const error = await useBackend('cuda').catch((e) => e);
    expect(error).toBeInstanceOf(BackendUnavailableError);
    expect(error.reason).toMatch(/node only, and this is browser/);
  });
});
