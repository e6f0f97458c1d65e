import { useBackend } from '@seqzoo/backend';
import { valueAndGrads } from '@seqzoo/layers';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { Embedding } from './embedding';

describe('Embedding', () => {
  it('looks rows up and has the same gradient on cpu (segment sum) and wasm (scatter-add)', async () => {
    const grads: number[][] = [];
    for (const backend of ['cpu', 'wasm'] as const) {
      await useBackend(backend);
      const e = new Embedding(5, 3, 7);
      const ids = tf.tensor2d(
        [
          [1, 3, 1],
          [4, 0, 1],
        ],
        undefined,
        'int32',
      );
      const out = e.forward(ids);
      expect(out.shape).toEqual([2, 3, 3]);
      const w = e.weight.arraySync() as number[][];
      expect((out.arraySync() as number[][][])[1][0]).toEqual(
        w[4].map((x) => expect.closeTo(x, 6)),
      );
      const weights = tf.tensor3d(
        Array.from({ length: 18 }, (_, i) => i / 10),
        [2, 3, 3],
      );
      const { value, grads: g } = valueAndGrads(
        e,
        () => tf.sum(tf.mul(e.forward(ids), weights)) as tf.Scalar,
      );
      const dw = g.get('weight') as tf.Tensor;
      grads.push(Array.from(dw.dataSync()));
      // row 1 is used three times: its gradient is the sum of the three weight rows
      expect(Array.from(dw.dataSync()).slice(3, 6)).toEqual(
        [0 + 0.6 + 1.5, 0.1 + 0.7 + 1.6, 0.2 + 0.8 + 1.7].map((x) => expect.closeTo(x, 5)),
      );
      tf.dispose([value, dw, ids, out, weights]);
      e.dispose();
    }
    await useBackend('cpu');
    grads[1].forEach((x, i) => {
      expect(x).toBeCloseTo(grads[0][i], 5);
    });
  });
});
