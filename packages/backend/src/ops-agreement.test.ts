import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { onEachBackend } from './testing';

/** The ops a recurrent layer is made of, on fixed pseudo-random inputs. */
function rnnOps(): Record<string, number[]> {
  return tf.tidy(() => {
    const a = tf.tensor2d(
      Array.from({ length: 6 * 5 }, (_, i) => Math.sin(i * 1.3)),
      [6, 5],
    );
    const b = tf.tensor2d(
      Array.from({ length: 5 * 4 }, (_, i) => Math.cos(i * 0.7)),
      [5, 4],
    );
    const out: Record<string, tf.Tensor> = {
      matMul: tf.matMul(a, b),
      matMulT: tf.matMul(a, a, false, true),
      sigmoid: tf.sigmoid(a),
      tanh: tf.tanh(a),
      slice: tf.slice(a, [1, 2], [3, 2]),
      concat: tf.concat([a, tf.mul(a, 2)], 1),
      gather: tf.gather(a, tf.tensor1d([4, 0, 4], 'int32')),
    };
    return Object.fromEntries(Object.entries(out).map(([k, t]) => [k, Array.from(t.dataSync())]));
  });
}

it('cpu and wasm agree on matMul, sigmoid, tanh, slice, concat and gather', async () => {
  const results = await onEachBackend(['cpu', 'wasm'], () => rnnOps());
  const cpu = results.get('cpu')!;
  const wasm = results.get('wasm')!;
  for (const op of Object.keys(cpu)) {
    expect(wasm[op].length, op).toBe(cpu[op].length);
    cpu[op].forEach((v, i) => {
      const tolerance = 1e-6 * Math.max(1, Math.abs(v));
      expect(Math.abs(wasm[op][i] - v), `${op}[${i}]`).toBeLessThanOrEqual(tolerance);
    });
  }
  // The values are real: a sanity check against plain JavaScript.
  expect(cpu.sigmoid[3]).toBeCloseTo(1 / (1 + Math.exp(-Math.sin(3 * 1.3))), 6);
});
