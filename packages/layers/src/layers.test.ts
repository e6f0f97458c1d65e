import { useBackend } from '@seqzoo/backend';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { Dropout } from './dropout';
import { Embedding } from './embedding';
import { LayerConfigError } from './errors';
import { LayerNorm } from './layer-norm';
import { valueAndGrads } from './value-and-grads';

describe.each(['cpu', 'wasm'] as const)('Embedding, Dropout, LayerNorm on %s', (backend) => {
  it('Embedding looks rows up and scatters gradients back, summing repeats, none to the padding row', async () => {
    await useBackend(backend);
    const e = new Embedding({ numEmbeddings: 5, embeddingDim: 2, paddingIdx: -1, seed: 3 });
    expect(e.paddingIdx).toBe(4);
    const w = (await e.weight.array()) as number[][];
    expect(w[4]).toEqual([0, 0]);
    const ids = tf.tensor2d(
      [
        [1, 4, 1],
        [0, 4, 2],
      ],
      [2, 3],
      'int32',
    );
    const y = e.forward(ids);
    expect(y.shape).toEqual([2, 3, 2]);
    expect((await y.array()) as number[][][]).toEqual([
      [w[1], w[4], w[1]],
      [w[0], w[4], w[2]],
    ]);
    const upstream = tf.tensor3d(
      Array.from({ length: 12 }, (_, i) => i + 1),
      [2, 3, 2],
    );
    const { value, grads } = valueAndGrads(
      e,
      () => tf.sum(tf.mul(e.forward(ids), upstream)) as tf.Scalar,
    );
    expect(await grads.get('weight')!.array()).toEqual([
      [7, 8],
      [1 + 5, 2 + 6],
      [11, 12],
      [0, 0],
      [0, 0],
    ]);
    tf.dispose([ids, y, upstream, value, ...grads.values()]);
    e.dispose();
  });

  it('Dropout is seeded, scales by 1/(1 − rate), draws a new mask per call and is off in eval', async () => {
    await useBackend(backend);
    const x = tf.ones([1000]);
    const a = new Dropout({ rate: 0.25, seed: 9 });
    const b = new Dropout({ rate: 0.25, seed: 9 });
    const ya = await a.forward(x).data();
    const yb = await b.forward(x).data();
    expect(Array.from(ya)).toEqual(Array.from(yb));
    expect(new Set(ya)).toEqual(new Set([0, Math.fround(1 / 0.75)]));
    const kept = ya.filter((v) => v > 0).length;
    expect(kept).toBeGreaterThan(700);
    expect(kept).toBeLessThan(800);
    const second = await a.forward(x).data();
    expect(Array.from(second)).not.toEqual(Array.from(ya));
    a.eval();
    expect(a.forward(x)).toBe(x);
    expect(() => new Dropout({ rate: 1 })).toThrow(LayerConfigError);
    x.dispose();
  });

  it('LayerNorm normalises the last axis and matches the formula', async () => {
    await useBackend(backend);
    const ln = new LayerNorm({ size: 4 });
    ln.loadStateDict({ weight: tf.tensor1d([1, 2, 3, 4]), bias: tf.tensor1d([0, 1, 0, -1]) });
    const x = tf.tensor2d([
      [1, 2, 3, 4],
      [-2, 0, 2, 8],
    ]);
    const y = await ln.forward(x).array();
    const rows = (await x.array()) as number[][];
    rows.forEach((row, r) => {
      const mean = row.reduce((s, v) => s + v, 0) / 4;
      const variance = row.reduce((s, v) => s + (v - mean) ** 2, 0) / 4;
      row.forEach((v, i) => {
        const expected = ((v - mean) / Math.sqrt(variance + 1e-5)) * (i + 1) + [0, 1, 0, -1][i];
        expect((y as number[][])[r][i]).toBeCloseTo(expected, 5);
      });
    });
    x.dispose();
    ln.dispose();
  });
});
