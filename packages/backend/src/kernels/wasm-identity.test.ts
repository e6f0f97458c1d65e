import '@tensorflow/tfjs-core/dist/register_all_gradients';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { useBackend } from '../use-backend';
import { applyKernelFixes } from './apply';
import { backendDataIds, relativeError, stockAndFixed, uniform } from './kernel-test-utils';
import { cachedTransposes, clearTransposeCache } from './transpose-cache';

beforeAll(async () => {
  await useBackend('wasm');
});

describe('Identity override (wasm)', () => {
  it('clones without copying: the clone shares the data, and outlives its source', () => {
    applyKernelFixes('wasm');
    const x = uniform([3, 5], 1);
    const want = Float32Array.from(x.dataSync());
    const heap = backendDataIds();
    const y = tf.clone(x);
    expect(backendDataIds()).toBe(heap); // no new buffer on the wasm heap
    x.dispose();
    expect(Float32Array.from(y.dataSync())).toEqual(want);
    expect(y.shape).toEqual([3, 5]);
    y.dispose();
    expect(backendDataIds()).toBe(heap - 1); // the last reference frees it
  });

  it('gives the stock values for float, int and bool tensors, and strings go to the stock kernel', () => {
    const { stock, fixed } = stockAndFixed(() => [
      tf.clone(uniform([4, 6], 2)),
      tf.cast(tf.clone(tf.tensor1d([1, -2, 3], 'int32')), 'float32'),
      tf.cast(tf.clone(tf.tensor1d([1, 0, 1], 'bool')), 'float32'),
    ]);
    expect(fixed).toEqual(stock);
    const s = tf.tensor1d(['a', 'bc']);
    expect(tf.clone(s).dataSync()).toEqual(['a', 'bc']);
  });

  it("a variable's clone keeps the old value after the variable is assigned", () => {
    const v = tf.variable(tf.tensor1d([1, 2, 3]));
    const before = tf.clone(v);
    v.assign(tf.tensor1d([7, 8, 9]));
    expect(Array.from(before.dataSync())).toEqual([1, 2, 3]);
    expect(Array.from(v.dataSync())).toEqual([7, 8, 9]);
    tf.dispose([v, before]);
  });

  it('lets the backward pass of x·W use the cached transpose of W (autodiff saves clones of its inputs)', () => {
    clearTransposeCache();
    const w = tf.variable(uniform([40, 36], 3));
    const x = uniform([24, 40], 4);
    const grads = () =>
      tf.tidy(() => {
        const { grads } = tf.variableGrads(() => tf.sum(tf.square(tf.matMul(x, w))), [w]);
        // dL/dx needs dz·Wᵀ too: ask for it through tf.grad on x.
        const dx = tf.grad((xx: tf.Tensor) => tf.sum(tf.square(tf.matMul(xx, w))))(x);
        return [grads[w.name], dx];
      });
    const { stock, fixed } = stockAndFixed(grads);
    for (let i = 0; i < 2; i++) expect(relativeError(fixed[i], stock[i])).toBeLessThan(1e-6);
    // With a copying Identity the saved W is a fresh tensor and nothing is cached.
    expect(cachedTransposes()).toBe(1);
    tf.dispose([w, x]);
  });
});
