import { useBackend } from '@seqzoo/backend';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { Dense } from './dense';
import { InputShapeError, LayerConfigError } from './errors';

beforeAll(async () => {
  await useBackend('cpu');
});

describe('Dense', () => {
  it('computes activation(x·W + b) over the last axis of any rank', async () => {
    const d = new Dense({ inputSize: 2, outputSize: 3, activation: 'relu', seed: 7 });
    d.loadStateDict({
      weight: tf.tensor2d([
        [1, -2, 0.5],
        [3, 1, -1],
      ]),
      bias: tf.tensor1d([0.5, 0, -0.25]),
    });
    const x = tf.tensor3d([[[1, 2]], [[-1, 0]]]);
    const y = d.forward(x);
    expect(y.shape).toEqual([2, 1, 3]);
    // Row 1: [1+6+0.5, -2+2, 0.5-2-0.25] → relu; row 2: [-1+0.5, 2, -0.5-0.25] → relu.
    expect(Array.from(await y.data())).toEqual([7.5, 0, 0, 0, 2, 0]);
    tf.dispose([x, y]);
    d.dispose();
  });

  it('is reproducible from a seed and honours bias: false', async () => {
    const a = new Dense({ inputSize: 4, outputSize: 5, seed: 11 });
    const b = new Dense({ inputSize: 4, outputSize: 5, seed: 11, bias: false });
    expect(Array.from(await a.weight.data())).toEqual(Array.from(await b.weight.data()));
    expect(b.bias).toBeNull();
    expect([...b.namedParameters().keys()]).toEqual(['weight']);
    const limit = Math.sqrt(6 / 9);
    expect(Math.max(...(await a.weight.data()).map(Math.abs))).toBeLessThanOrEqual(limit);
    a.dispose();
    b.dispose();
  });

  it('rejects bad options and bad inputs with typed errors', () => {
    expect(() => new Dense({ inputSize: 0, outputSize: 2 })).toThrow(
      /inputSize.*expected a positive integer, got 0/,
    );
    expect(() => new Dense({ inputSize: 2, outputSize: 2, activation: 'nope' as 'relu' })).toThrow(
      LayerConfigError,
    );
    const d = new Dense({ inputSize: 2, outputSize: 2 });
    const x = tf.zeros([1, 3]);
    expect(() => d.forward(x)).toThrow(InputShapeError);
    x.dispose();
    d.dispose();
  });
});
