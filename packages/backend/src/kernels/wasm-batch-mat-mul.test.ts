import '@tensorflow/tfjs-core/dist/register_all_gradients';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { expectNoLeaks } from '../testing';
import { useBackend } from '../use-backend';
import { applyKernelFixes, removeKernelFixes } from './apply';
import { backendDataIds, relativeError, stockAndFixed, uniform } from './kernel-test-utils';
import { cachedTransposes, clearTransposeCache } from './transpose-cache';

// [label, a shape, b shape, gradients?] before transposition: a is [...batch, m, k], b is
// [...batch, k, n]. tfjs-core 4.22's matMul gradient cannot broadcast batch dims (it throws
// "gradient of input 'b' has shape …" with stock kernels too), so those cases check values only.
const CASES: Array<[string, number[], number[], boolean]> = [
  ['2d', [24, 40], [40, 36], true],
  ['equal batch (per pair)', [3, 48, 40], [3, 40, 36], true],
  ['equal batch, small (stock path)', [5, 6, 7], [5, 7, 3], true],
  ['a batched, b 2d', [4, 24, 40], [40, 36], false],
  ['a batch 1, b batched', [1, 24, 40], [4, 40, 36], false],
  ['a 2d, b batched', [24, 40], [3, 40, 36], false],
  ['two batch dims', [2, 3, 48, 40], [2, 3, 40, 36], true],
  ['vector-like', [1, 64], [64, 96], true],
  ['wide product', [16, 96], [96, 256], true],
];

const swapLast = (shape: number[]) => [...shape.slice(0, -2), shape.at(-1)!, shape.at(-2)!];

beforeAll(async () => {
  await useBackend('wasm');
});

describe('BatchMatMul override (wasm)', () => {
  for (const [label, aShape, bShape, withGrads] of CASES) {
    for (const ta of [false, true]) {
      for (const tb of [false, true]) {
        const what = withGrads ? 'values and gradients' : 'values';
        it(`${label}, transposeA=${ta} transposeB=${tb}: ${what} ≤ 1e-6 of stock`, () => {
          const a = uniform(ta ? swapLast(aShape) : aShape, 1);
          const b = uniform(tb ? swapLast(bShape) : bShape, 2);
          const { stock, fixed } = stockAndFixed(() => {
            const y = tf.matMul(a, b, ta, tb);
            if (!withGrads) return [y];
            const w = uniform(y.shape, 3);
            const grads = tf.grads((p: tf.Tensor, q: tf.Tensor) =>
              tf.sum(tf.mul(tf.matMul(p, q, ta, tb), w)),
            )([a, b]);
            return [y, ...grads];
          });
          expect(fixed[0].length).toBe(stock[0].length);
          expect(fixed.length).toBe(withGrads ? 3 : 1);
          for (let i = 0; i < fixed.length; i++)
            expect(relativeError(fixed[i], stock[i])).toBeLessThan(1e-6);
          tf.dispose([a, b]);
        });
      }
    }
  }

  it('gives the shape tfjs-core promises, broadcast batch dims included', () => {
    applyKernelFixes('wasm');
    const y = tf.matMul(uniform([1, 24, 40], 1), uniform([4, 36, 40], 2), false, true);
    expect(y.shape).toEqual([4, 24, 36]);
    tf.dispose(y);
  });

  it('leaks no tensors, in tfjs or on the wasm heap', async () => {
    applyKernelFixes('wasm');
    const heap = backendDataIds();
    await expectNoLeaks(() => {
      for (const [aShape, bShape] of [
        [
          [3, 48, 40],
          [3, 40, 36],
        ],
        [
          [24, 40],
          [40, 36],
        ],
      ]) {
        for (const [ta, tb] of [
          [false, true],
          [true, false],
          [true, true],
        ] as const) {
          tf.tidy(() => {
            const a = uniform(ta ? swapLast(aShape) : aShape, 1);
            const b = uniform(tb ? swapLast(bShape) : bShape, 2);
            tf.grads((p: tf.Tensor, q: tf.Tensor) => tf.sum(tf.matMul(p, q, ta, tb)))([a, b]);
            if (bShape.length === 2) tf.matMul(uniform([4, 24, 40], 3), b, false, tb);
          });
        }
      }
    }, 'matMul with transposes and its gradient');
    expect(backendDataIds()).toBe(heap);
  });
});

describe('_FusedMatMul override (wasm)', () => {
  // tfjs-backend-wasm 4.22's own _FusedMatMul is wrong when a transpose flag and a bias are both
  // set (off by up to ~1.5 on these inputs), so the reference is the unfused composition
  // relu(matMul + bias) on the stock kernels, which is what the fused op promises.
  for (const [ta, tb] of [
    [false, false],
    [false, true],
    [true, false],
    [true, true],
  ] as const) {
    it(`bias + relu, transposeA=${ta} transposeB=${tb}: ≤ 1e-6 of matMul + bias + relu, gradients included`, () => {
      const a = uniform(ta ? [40, 24] : [24, 40], 1);
      const b = uniform(tb ? [36, 40] : [40, 36], 2);
      const bias = uniform([36], 4);
      const fused = (p: tf.Tensor, q: tf.Tensor, c: tf.Tensor) =>
        tf.fused.matMul({
          a: p as tf.Tensor2D,
          b: q as tf.Tensor2D,
          transposeA: ta,
          transposeB: tb,
          bias: c,
          activation: 'relu',
        });
      const plain = (p: tf.Tensor, q: tf.Tensor, c: tf.Tensor) =>
        tf.relu(tf.add(tf.matMul(p, q, ta, tb), c));
      const run = (f: typeof fused) => [
        f(a, b, bias),
        ...tf.grads((p, q, c) => tf.sum(f(p, q, c)))([a, b, bias]),
      ];
      const { stock: reference } = stockAndFixed(() => run(plain));
      const { fixed } = stockAndFixed(() => run(fused));
      for (let i = 0; i < 4; i++) expect(relativeError(fixed[i], reference[i])).toBeLessThan(1e-6);
      tf.dispose([a, b, bias]);
    });
  }
});

describe('transposed variables are cached (wasm)', () => {
  it('reuses the transpose of a variable until it is assigned or disposed, with stock results', () => {
    applyKernelFixes('wasm');
    clearTransposeCache();
    const w = tf.tidy(() => tf.variable(uniform([36, 40], 1)));
    const x = uniform([24, 40], 2);
    const reference = () => {
      removeKernelFixes('wasm');
      const r = tf.tidy(() => Float32Array.from(tf.matMul(x, w, false, true).dataSync()));
      applyKernelFixes('wasm');
      return r;
    };
    const fixed = () => tf.tidy(() => Float32Array.from(tf.matMul(x, w, false, true).dataSync()));
    // The stock reference first: removeKernelFixes empties the cache.
    const check = () => {
      const want = reference();
      expect(relativeError(fixed(), want)).toBeLessThan(1e-6);
    };
    const heap = backendDataIds();
    check();
    expect(cachedTransposes()).toBe(1);
    check();
    expect(cachedTransposes()).toBe(1);
    // Reshaped views share the variable's data: another shape is another entry, not a wrong hit.
    tf.tidy(() => {
      tf.matMul(uniform([24, 72], 3), tf.reshape(w, [20, 72]), false, true);
    });
    expect(cachedTransposes()).toBe(2);
    // A new value (new dataId) must not be served from the old transpose.
    tf.tidy(() => w.assign(uniform([36, 40], 4)));
    check();
    expect(cachedTransposes()).toBe(1);
    w.dispose();
    tf.tidy(() => {
      tf.matMul(x, uniform([36, 40], 5), false, true);
    });
    expect(cachedTransposes()).toBe(0);
    x.dispose();
    expect(backendDataIds()).toBe(heap - 2); // w's and x's data are gone, and nothing is left
  });
});
