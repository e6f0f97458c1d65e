import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { useBackend } from '@seqzoo/backend';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { matVec, vecMat } from './batched-products';

// The attention goldens (attention.test.ts) check these products against PyTorch inside the
// scorers; here each is checked alone, on both backends, against finite differences.
for (const backend of ['cpu', 'wasm'] as const) {
  describe(`matVec / vecMat on ${backend}`, () => {
    beforeAll(async () => {
      await useBackend(backend);
    });
    afterAll(async () => {
      await useBackend('cpu');
    });

    const m = () => tf.randomNormal([3, 4, 5], 0, 1, 'float32', 1) as tf.Tensor3D;
    const v = () => tf.randomNormal([3, 5], 0, 1, 'float32', 2) as tf.Tensor2D;
    const w = () => tf.randomNormal([3, 4], 0, 1, 'float32', 3) as tf.Tensor2D;
    // Weighted sums of the outputs, so that every output element has its own gradient.
    const rv = () => tf.randomNormal([3, 4], 0, 1, 'float32', 4);
    const rw = () => tf.randomNormal([3, 5], 0, 1, 'float32', 5);
    const objectives = {
      matVec: (a: tf.Tensor, b: tf.Tensor) =>
        tf.sum(tf.mul(matVec(a as tf.Tensor3D, b as tf.Tensor2D), rv())) as tf.Scalar,
      vecMat: (a: tf.Tensor, b: tf.Tensor) =>
        tf.sum(tf.mul(vecMat(a as tf.Tensor2D, b as tf.Tensor3D), rw())) as tf.Scalar,
    };

    it('compute the batched products', async () => {
      const [mv, vm] = tf.tidy(() => [matVec(m(), v()), vecMat(w(), m())]);
      const [M, V, W] = (await Promise.all([m().array(), v().array(), w().array()])) as [
        number[][][],
        number[][],
        number[][],
      ];
      const mvData = (await mv.array()) as number[][];
      const vmData = (await vm.array()) as number[][];
      for (let b = 0; b < 3; b++) {
        for (let s = 0; s < 4; s++) {
          const expected = M[b][s].reduce((acc, x, k) => acc + x * V[b][k], 0);
          expect(mvData[b][s]).toBeCloseTo(expected, 4);
        }
        for (let k = 0; k < 5; k++) {
          const expected = M[b].reduce((acc, row, s) => acc + W[b][s] * row[k], 0);
          expect(vmData[b][k]).toBeCloseTo(expected, 4);
        }
      }
      tf.dispose([mv, vm]);
    });

    for (const [name, f] of Object.entries(objectives)) {
      it(`${name}: gradients of both inputs agree with central finite differences`, async () => {
        const inputs: tf.Tensor[] = name === 'matVec' ? [m(), v()] : [w(), m()];
        const grads = tf.grads(f)(inputs);
        const h = 1e-2;
        for (let which = 0; which < 2; which++) {
          const base = await inputs[which].data();
          const analytic = await grads[which].data();
          for (let i = 0; i < base.length; i += 7) {
            const at = (delta: number) =>
              tf.tidy(() => {
                const moved = Float32Array.from(base);
                moved[i] += delta;
                const args = [...inputs];
                args[which] = tf.tensor(moved, inputs[which].shape);
                return f(args[0], args[1]).dataSync()[0];
              });
            const numeric = (at(h) - at(-h)) / (2 * h);
            expect(Math.abs(numeric - analytic[i])).toBeLessThan(
              2e-3 + 1e-2 * Math.abs(analytic[i]),
            );
          }
        }
        tf.dispose([...inputs, ...grads]);
      });
    }
  });
}
