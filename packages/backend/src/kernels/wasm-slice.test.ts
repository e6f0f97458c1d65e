import '@tensorflow/tfjs-core/dist/register_all_gradients';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { expectNoLeaks } from '../testing';
import { useBackend } from '../use-backend';
import { applyKernelFixes } from './apply';
import { backendDataIds, stockAndFixed, uniform } from './kernel-test-utils';
import { copyBox } from './wasm-slice';

beforeAll(async () => {
  await useBackend('wasm');
});

/** Bit-equal: same length and every float identical (NaN-free inputs). */
function expectBitEqual(fixed: Float32Array[], stock: Float32Array[]): void {
  expect(fixed.length).toBe(stock.length);
  for (let i = 0; i < stock.length; i++) {
    expect(new Uint32Array(fixed[i].buffer)).toEqual(new Uint32Array(stock[i].buffer));
  }
}

/** Gradient of a weighted sum of `f(x)`'s outputs with respect to `x`. */
function gradOf(f: (x: tf.Tensor) => tf.Tensor | tf.Tensor[], x: tf.Tensor): tf.Tensor {
  return tf.grad((v: tf.Tensor) => {
    const out = f(v);
    const parts = Array.isArray(out) ? out : [out];
    // A chain of adds, not tf.addN: AddN's gradient calls Tensor#clone, a chained op that
    // tfjs-core alone does not register.
    return parts
      .map((p, i) => tf.sum(tf.mul(p, uniform(p.shape, 10 + i))))
      .reduce((acc, t) => tf.add(acc, t));
  })(x);
}

describe('copyBox', () => {
  it('matches an index-by-index copy for boxes in every dimension', () => {
    const shape = [3, 4, 5, 2];
    const src = Float32Array.from({ length: 120 }, (_, i) => i);
    for (const [begin, size] of [
      [
        [0, 0, 0, 0],
        [3, 4, 5, 2],
      ],
      [
        [1, 2, 0, 0],
        [2, 1, 5, 2],
      ],
      [
        [0, 1, 2, 1],
        [3, 2, 3, 1],
      ],
      [
        [2, 3, 4, 1],
        [1, 1, 1, 1],
      ],
      [
        [0, 0, 1, 0],
        [3, 4, 3, 2],
      ],
    ] as const) {
      const dst = new Float32Array(size.reduce((a: number, b: number) => a * b, 1));
      copyBox(src, shape, begin, size, dst);
      const want: number[] = [];
      for (let i = 0; i < size[0]; i++)
        for (let j = 0; j < size[1]; j++)
          for (let k = 0; k < size[2]; k++)
            for (let l = 0; l < size[3]; l++)
              want.push(
                src[(((begin[0] + i) * 4 + begin[1] + j) * 5 + begin[2] + k) * 2 + begin[3] + l],
              );
      expect(Array.from(dst)).toEqual(want);
    }
  });
});

describe('Slice override (wasm)', () => {
  const cases: Array<[number[], number[], number[]]> = [
    [[10], [3], [4]],
    [
      [6, 8],
      [2, 0],
      [3, -1],
    ],
    [
      [6, 8],
      [0, 3],
      [6, 2],
    ],
    [
      [64, 4, 16],
      [5, 0, 0],
      [1, 4, 16],
    ],
    [
      [4, 5, 6],
      [1, 2, 3],
      [2, 2, 2],
    ],
    [
      [3, 4, 5, 6],
      [1, 0, 2, 1],
      [2, 4, 2, 4],
    ],
    [
      [2, 3, 2, 3, 2, 3],
      [1, 1, 0, 1, 1, 0],
      [1, 2, 2, 1, 1, 3],
    ],
    [
      [4, 0, 3],
      [1, 0, 0],
      [2, 0, 3],
    ],
  ];
  for (const [shape, begin, size] of cases) {
    it(`[${shape}] from [${begin}] size [${size}]: values and gradient bit-equal to stock`, () => {
      const x = uniform(shape, 1);
      const f = (v: tf.Tensor) => tf.slice(v, begin, size);
      const { stock, fixed } = stockAndFixed(() => [f(x), gradOf(f, x)]);
      expectBitEqual(fixed, stock);
      x.dispose();
    });
  }

  it('slices int32 and bool tensors like stock', () => {
    const i = tf.reshape(tf.range(0, 60, 1, 'int32'), [3, 4, 5]);
    const b = tf.greater(uniform([3, 4, 5], 2), 0);
    const { stock, fixed } = stockAndFixed(() => [
      tf.cast(tf.slice(i, [1, 1, 1], [2, 2, 3]), 'float32'),
      tf.cast(tf.slice(b, [0, 2, 0], [3, 2, 4]), 'float32'),
    ]);
    expectBitEqual(fixed, stock);
    tf.dispose([i, b]);
  });

  it('stays right when the output allocation grows the wasm heap', () => {
    applyKernelFixes('wasm');
    // 64 MiB in, nearly all of it out: allocating the output moves HEAPU8.buffer.
    const x = tf.reshape(tf.range(0, 1 << 24, 1, 'float32'), [1 << 12, 1 << 12]);
    const heapBytes = () =>
      (tf.backend() as unknown as { wasm: { HEAPU8: Uint8Array } }).wasm.HEAPU8.buffer.byteLength;
    const before = heapBytes();
    const y = tf.slice(x, [1, 0], [(1 << 12) - 1, 1 << 12]);
    expect(heapBytes()).toBeGreaterThan(before);
    const values = y.dataSync();
    expect(values[0]).toBe(1 << 12);
    expect(values[values.length - 1]).toBe((1 << 24) - 1);
    tf.dispose([x, y]);
  });
});

describe('SplitV and Unpack overrides (wasm)', () => {
  for (const [shape, splits, axis] of [
    [[6, 8], [2, 5, 1], 1],
    [[6, 8], 3, 0],
    [[4, 6, 8], [4, 4], -1],
    [[4, 6, 8], [1, 2, 3], 1],
  ] as Array<[number[], number | number[], number]>) {
    it(`split [${shape}] into ${JSON.stringify(splits)} on axis ${axis}: bit-equal, gradient too`, () => {
      const x = uniform(shape, 3);
      const f = (v: tf.Tensor) => tf.split(v, splits, axis);
      const { stock, fixed } = stockAndFixed(() => [...f(x), gradOf(f, x)]);
      expectBitEqual(fixed, stock);
      x.dispose();
    });
  }

  for (const [shape, axis] of [
    [[5, 4, 3], 0],
    [[5, 4, 3], 1],
    [[5, 4, 3], -1],
    [[7, 2], 0],
  ] as Array<[number[], number]>) {
    it(`unstack [${shape}] on axis ${axis}: bit-equal, gradient too`, () => {
      const x = uniform(shape, 4);
      const f = (v: tf.Tensor) => tf.unstack(v, axis);
      const { stock, fixed } = stockAndFixed(() => [...f(x), gradOf(f, x)]);
      expectBitEqual(fixed, stock);
      const [first] = tf.tidy(() => tf.unstack(x, axis));
      expect(first.shape).toEqual(
        shape.filter((_, i) => i !== (axis + shape.length) % shape.length),
      );
      tf.dispose([x, first]);
    });
  }

  it('leaks no tensors, in tfjs or on the wasm heap', async () => {
    applyKernelFixes('wasm');
    const x = uniform([8, 6, 4], 5);
    const heap = backendDataIds();
    await expectNoLeaks(() => {
      tf.tidy(() => {
        const f = (v: tf.Tensor) => [
          ...tf.unstack(v, 1),
          ...tf.split(v, [1, 3], 2),
          tf.slice(v, [1, 1, 1], [2, 2, 2]),
        ];
        f(x);
        gradOf(f, x);
      });
    }, 'slice, split and unstack with gradients');
    expect(backendDataIds()).toBe(heap);
    x.dispose();
  });
});
