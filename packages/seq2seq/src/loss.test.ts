import { useBackend } from '@seqzoo/backend';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { maskedCrossEntropy } from './loss';
import { loadGoldens, maxError } from './test-utils';

beforeAll(async () => {
  await useBackend('cpu');
});

describe('maskedCrossEntropy', () => {
  for (const c of loadGoldens().loss) {
    it(`matches torch cross_entropy(ignore_index, label_smoothing=${c.labelSmoothing}) and its gradient`, async () => {
      const logits = tf.tensor3d(c.logits);
      const targets = tf.tensor2d(c.targets, undefined, 'int32');
      const f = (x: tf.Tensor) =>
        maskedCrossEntropy(x, targets, { padId: c.pad, labelSmoothing: c.labelSmoothing });
      const { value, grad } = tf.valueAndGrad(f)(logits);
      expect(Math.abs((await value.data())[0] - c.loss)).toBeLessThan(1e-5);
      expect(await maxError(grad, c.gradLogits)).toBeLessThan(1e-6);
      tf.dispose([logits, targets, value, grad]);
    });
  }

  it('ignores padding targets entirely and is 0 when all are padding', async () => {
    const logits = tf.randomNormal([2, 3, 4], 0, 1, 'float32', 1);
    const t1 = tf.tensor2d(
      [
        [1, 2, 0],
        [3, 0, 0],
      ],
      undefined,
      'int32',
    );
    const other = tf.tidy(() =>
      tf.concat(
        [
          tf.slice(logits, [0, 0, 0], [2, 1, 4]),
          tf.mul(tf.slice(logits, [0, 1, 0], [2, 2, 4]), tf.tensor3d([[[1]], [[50]]])),
        ],
        1,
      ),
    );
    const a = maskedCrossEntropy(logits, t1);
    const b = maskedCrossEntropy(other, t1);
    expect((await a.data())[0]).toBeCloseTo((await b.data())[0], 5);
    const zero = maskedCrossEntropy(logits, tf.zeros([2, 3], 'int32'));
    expect((await zero.data())[0]).toBe(0);
    expect(() => maskedCrossEntropy(logits, tf.zeros([2, 4], 'int32'))).toThrow(
      /need targets \[2,3\]/,
    );
    expect(() => maskedCrossEntropy(logits, t1, { labelSmoothing: 1.5 })).toThrow(/labelSmoothing/);
    tf.dispose([logits, t1, other, a, b, zero]);
  });
});
