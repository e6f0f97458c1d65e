import { useBackend } from '@seqzoo/backend';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import goldens from '../goldens/loss-goldens.json';
import { InputShapeError, LayerConfigError } from './errors';
import { crossEntropy } from './losses';

interface LossCase {
  name: string;
  shape: [number, number, number];
  ignoreIndex: number;
  labelSmoothing: number;
  reduction: 'mean' | 'sum' | 'none';
  logits: number[];
  targets: number[];
  loss: number[];
  gradLogits: number[];
  weights?: number[];
}

const cases = (goldens as unknown as { cases: LossCase[] }).cases;

function worst(actual: ArrayLike<number>, expected: readonly number[]): number {
  if (actual.length !== expected.length) return Number.POSITIVE_INFINITY;
  let w = 0;
  for (let i = 0; i < actual.length; i++)
    w = Math.max(w, Math.abs(actual[i] - expected[i]) / Math.max(1, Math.abs(expected[i])));
  return w;
}

describe.each(['cpu', 'wasm'] as const)('crossEntropy against torch on %s', (backend) => {
  beforeAll(async () => {
    await useBackend(backend);
  });
  it.each(cases.map((c) => [c.name, c] as const))('%s: loss and gradient', async (_n, c) => {
    const before = tf.memory().numTensors;
    const [B, T] = c.shape;
    const logits = tf.tensor3d(c.logits, c.shape);
    const targets = tf.tensor2d(c.targets, [B, T], 'int32');
    const weights = c.weights ? tf.tensor2d(c.weights, [B, T]) : null;
    const options = {
      ignoreIndex: c.ignoreIndex,
      labelSmoothing: c.labelSmoothing,
      reduction: c.reduction,
    };
    const f = (x: tf.Tensor) => {
      const loss = crossEntropy(x, targets, options);
      return weights ? tf.sum(tf.mul(loss, weights)) : loss;
    };
    const loss = crossEntropy(logits, targets, options);
    const grad = tf.grad(f)(logits);
    expect(loss.shape).toEqual(c.reduction === 'none' ? [B, T] : []);
    expect(worst(await loss.data(), c.loss)).toBeLessThan(1e-5);
    expect(worst(await grad.data(), c.gradLogits)).toBeLessThan(1e-6);
    tf.dispose([logits, targets, loss, grad, ...(weights ? [weights] : [])]);
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('crossEntropy', () => {
  beforeAll(async () => {
    await useBackend('cpu');
  });

  it('the gradient agrees with central finite differences ', async () => {
    const logits = tf.randomNormal([2, 3, 5], 0, 2, 'float32', 7);
    const targets = tf.tensor2d(
      [
        [1, 0, 4],
        [3, 2, 0],
      ],
      undefined,
      'int32',
    );
    const options = { ignoreIndex: 0, labelSmoothing: 0.3 };
    const analytic = await tf
      .grad((x: tf.Tensor) => crossEntropy(x, targets, options))(logits)
      .data();
    const base = await logits.data();
    const h = 1e-2;
    const at = (i: number, delta: number) =>
      tf.tidy(() => {
        const moved = Float32Array.from(base);
        moved[i] += delta;
        return crossEntropy(tf.tensor3d(moved, [2, 3, 5]), targets, options).dataSync()[0];
      });
    for (let i = 0; i < base.length; i++) {
      const numeric = (at(i, h) - at(i, -h)) / (2 * h);
      expect(Math.abs(numeric - analytic[i]), `logit ${i}`).toBeLessThan(2e-4);
    }
    // Ignored rows get exactly no gradient.
    for (const row of [1, 5]) {
      for (let v = 0; v < 5; v++) expect(Math.abs(analytic[row * 5 + v])).toBe(0);
    }
    tf.dispose([logits, targets]);
  });

  it('is 0 (not NaN) when every target is ignored; ignored targets change nothing', async () => {
    const logits = tf.randomNormal([2, 3, 4], 0, 1, 'float32', 1);
    const zero = crossEntropy(logits, tf.zeros([2, 3], 'int32'), { ignoreIndex: 0 });
    expect((await zero.data())[0]).toBe(0);
    const t = tf.tensor2d(
      [
        [1, 2, 0],
        [3, 0, 0],
      ],
      undefined,
      'int32',
    );
    const scaled = tf.tidy(() =>
      tf.mul(
        logits,
        tf.tensor3d([
          [[1], [1], [40]],
          [[1], [9], [9]],
        ]),
      ),
    );
    const a = crossEntropy(logits, t, { ignoreIndex: 0, labelSmoothing: 0.1 });
    const b = crossEntropy(scaled, t, { ignoreIndex: 0, labelSmoothing: 0.1 });
    expect((await a.data())[0]).toBeCloseTo((await b.data())[0], 5);
    tf.dispose([logits, zero, t, scaled, a, b]);
  });

  it('rejects bad input and options with typed errors', () => {
    const logits = tf.zeros([2, 3, 4]);
    const t = tf.zeros([2, 3], 'int32');
    expect(() => crossEntropy(logits, tf.zeros([2, 4], 'int32'))).toThrow(InputShapeError);
    expect(() => crossEntropy(logits, tf.zeros([2, 4], 'int32'))).toThrow(/need targets \[2,3\]/);
    expect(() => crossEntropy(logits, tf.zeros([2, 3]))).toThrow(/int32 class ids/);
    expect(() => crossEntropy(tf.zeros([4]), tf.zeros([], 'int32'))).toThrow(/rank ≥ 2/);
    expect(() => crossEntropy(logits, t, { labelSmoothing: 1.5 })).toThrow(LayerConfigError);
    expect(() => crossEntropy(logits, t, { labelSmoothing: 1.5 })).toThrow(/labelSmoothing/);
    expect(() => crossEntropy(logits, t, { ignoreIndex: 0.5 })).toThrow(/ignoreIndex/);
    expect(() => crossEntropy(logits, t, { reduction: 'avg' as 'mean' })).toThrow(/reduction/);
    tf.dispose([logits, t]);
  });
});
