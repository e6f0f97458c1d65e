import { useBackend } from '@seqzoo/backend';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { GRU } from './gru';
import { LSTM } from './lstm';
import type { RecurrentLayer, RecurrentLayerOptions } from './recurrent-layer';
import { RNN } from './rnn';
import { valueAndGrads } from './value-and-grads';

beforeAll(async () => {
  await useBackend('cpu');
});

type Make = (o: RecurrentLayerOptions) => RecurrentLayer<string>;
const kinds: [string, Make][] = [
  ['LSTM', (o) => new LSTM(o)],
  ['GRU', (o) => new GRU(o)],
  ['RNN', (o) => new RNN(o)],
  ['RNN relu', (o) => new RNN({ ...o, nonlinearity: 'relu' } as RecurrentLayerOptions)],
];

/** Loss value and gradients (parameters and input) of a layer on fixed data. */
function run(layer: RecurrentLayer<string>, lengths?: number[]) {
  const x = tf.tidy(() => tf.randomNormal([3, 5, 4], 0, 1, 'float32', 1));
  const wo = tf.tidy(() => tf.randomNormal([3, 5, layer.outputSize], 0, 1, 'float32', 2));
  const f = () => {
    const { output, state } = layer.forward(x, { lengths });
    const states = Object.values(state) as tf.Tensor[];
    return tf.addN([tf.sum(tf.mul(output, wo)), ...states.map((s) => tf.sum(tf.square(s)))]);
  };
  const { value, grads } = valueAndGrads(layer, f as () => tf.Scalar);
  const dx = tf.grad((xx: tf.Tensor) => {
    const { output } = layer.forward(xx, { lengths });
    return tf.sum(tf.mul(output, wo));
  })(x);
  const out = {
    value: value.dataSync()[0],
    grads: new Map([...grads].map(([k, g]) => [k, Array.from(g.dataSync())])),
    dx: Array.from(dx.dataSync()),
  };
  tf.dispose([x, wo, value, dx, ...grads.values()]);
  return out;
}

const maxAbsDiff = (a: number[], b: number[]) => Math.max(...a.map((v, i) => Math.abs(v - b[i])));

describe('fused path agrees with the plain cell path', () => {
  for (const [name, make] of kinds) {
    for (const bidirectional of [false, true]) {
      for (const lengths of [undefined, [5, 3, 1]]) {
        it(`${name} bidirectional=${bidirectional} lengths=${!!lengths}: values and every gradient`, () => {
          const base = { inputSize: 4, hiddenSize: 3, numLayers: 2, bidirectional, seed: 5 };
          const fused = make({ ...base, implementation: 'fused', init: 'pytorch' });
          const cell = make({ ...base, implementation: 'cell', init: 'pytorch' });
          const a = run(fused, lengths);
          const b = run(cell, lengths);
          expect(Math.abs(a.value - b.value)).toBeLessThan(1e-4);
          expect([...a.grads.keys()]).toEqual([...b.grads.keys()]);
          expect(a.grads.size).toBe(2 * (bidirectional ? 2 : 1) * 4);
          for (const [k, g] of a.grads)
            expect(maxAbsDiff(g, b.grads.get(k)!), k).toBeLessThan(1e-5);
          expect(maxAbsDiff(a.dx, b.dx)).toBeLessThan(1e-5);
          fused.dispose();
          cell.dispose();
        });
      }
    }
  }
});
