import { useBackend } from '@seqzoo/backend';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { Embedding, ONE_HOT_MAX_ROWS } from './embedding';
import { LayerConfigError } from './errors';
import { valueAndGrads } from './value-and-grads';

describe.each(['cpu', 'wasm'] as const)('Embedding lookups on %s', (backend) => {
  it("'gather' and 'onehot' give the same rows and the same gradients (padding row: none)", async () => {
    await useBackend(backend);
    const before = tf.memory().numTensors;
    const ids = tf.tensor2d(
      [
        [3, 0, 3, 6],
        [1, 2, 0, 5],
      ],
      [2, 4],
      'int32',
    );
    const upstream = tf.randomNormal([2, 4, 3], 0, 1, 'float32', 4);
    const results = [];
    for (const lookup of ['gather', 'onehot'] as const) {
      const e = new Embedding({
        numEmbeddings: 7,
        embeddingDim: 3,
        paddingIdx: 0,
        seed: 2,
        lookup,
      });
      expect(e.resolvedLookup()).toBe(lookup);
      const { value, grads } = valueAndGrads(
        e,
        () => tf.sum(tf.mul(e.forward(ids), upstream)) as tf.Scalar,
      );
      const y = e.forward(ids);
      results.push({
        y: await y.array(),
        value: (await value.data())[0],
        grad: (await grads.get('weight')!.array()) as number[][],
      });
      tf.dispose([y, value, ...grads.values()]);
      e.dispose();
    }
    expect(results[1].y).toEqual(results[0].y);
    expect(results[1].value).toBeCloseTo(results[0].value, 5);
    for (let r = 0; r < 7; r++)
      for (let d = 0; d < 3; d++)
        expect(results[1].grad[r][d]).toBeCloseTo(results[0].grad[r][d], 5);
    expect(results[1].grad[0].map(Math.abs)).toEqual([0, 0, 0]);
    expect(results[1].grad[4].map(Math.abs)).toEqual([0, 0, 0]); // never looked up
    tf.dispose([ids, upstream]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it("'auto' multiplies by a one-hot matrix only on wasm and for small tables", async () => {
    await useBackend(backend);
    const small = new Embedding({ numEmbeddings: ONE_HOT_MAX_ROWS, embeddingDim: 2 });
    const large = new Embedding({ numEmbeddings: ONE_HOT_MAX_ROWS + 1, embeddingDim: 2 });
    expect(small.resolvedLookup()).toBe(backend === 'wasm' ? 'onehot' : 'gather');
    expect(large.resolvedLookup()).toBe('gather');
    small.dispose();
    large.dispose();
  });
});

it('rejects an unknown lookup', () => {
  expect(
    () => new Embedding({ numEmbeddings: 3, embeddingDim: 2, lookup: 'hash' as 'auto' }),
  ).toThrow(LayerConfigError);
});
