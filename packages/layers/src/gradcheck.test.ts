import { useBackend } from '@seqzoo/backend';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { GRU } from './gru';
import { LSTM } from './lstm';
import type { RecurrentLayer, RecurrentLayerOptions } from './recurrent-layer';
import { RNN } from './rnn';

beforeAll(async () => {
  await useBackend('cpu');
});

// Central finite differences in float32 on tiny shapes: every parameter entry and every input
// entry of a 2-layer bidirectional layer with lengths, against the hand-written backward pass.
const makers: [string, (o: RecurrentLayerOptions) => RecurrentLayer<string>][] = [
  ['LSTM', (o) => new LSTM(o)],
  ['GRU', (o) => new GRU(o)],
  ['GRU resetAfter=false', (o) => new GRU({ ...o, resetAfter: false } as RecurrentLayerOptions)],
  ['RNN', (o) => new RNN(o)],
];

describe('finite-difference gradient checks', () => {
  it.each(makers)('%s: analytic gradients match central differences', async (_name, make) => {
    const layer = make({
      inputSize: 2,
      hiddenSize: 2,
      numLayers: 2,
      bidirectional: true,
      init: 'pytorch',
      seed: 13,
    });
    const x = tf.tidy(() => tf.randomNormal([2, 3, 2], 0, 1, 'float32', 4));
    const wo = tf.tidy(() => tf.randomNormal([2, 3, 4], 0, 1, 'float32', 5));
    const lengths = [3, 2];
    const loss = (input: tf.Tensor) =>
      tf.tidy(() => {
        const { output, state } = layer.forward(input, { lengths });
        return tf.add(tf.sum(tf.mul(output, wo)), tf.sum(tf.tanh(state.h)));
      });
    const params = layer.parameters();
    const grads = tf.grads((input: tf.Tensor, ...ps: tf.Tensor[]) => {
      void ps;
      return loss(input) as tf.Scalar;
    })([x, ...params]);
    const eps = 1e-2;
    let worst = 0;
    const probe = async (
      read: () => Float32Array,
      write: (v: Float32Array) => void,
      analytic: tf.Tensor,
    ) => {
      const base = read();
      const g = await analytic.data();
      for (let i = 0; i < base.length; i++) {
        const plus = Float32Array.from(base);
        plus[i] += eps;
        write(plus);
        const lp = (await loss(x).data())[0];
        const minus = Float32Array.from(base);
        minus[i] -= eps;
        write(minus);
        const lm = (await loss(x).data())[0];
        write(base);
        const numeric = (lp - lm) / (2 * eps);
        worst = Math.max(worst, Math.abs(numeric - g[i]) / Math.max(1, Math.abs(g[i])));
      }
    };
    for (const [i, p] of params.entries()) {
      await probe(
        () => p.dataSync() as Float32Array,
        (v) => tf.tidy(() => p.assign(tf.tensor(v, p.shape))),
        grads[i + 1],
      );
    }
    // The input: differentiate through a fresh tensor per probe.
    const xs = Float32Array.from(x.dataSync());
    const gx = await grads[0].data();
    for (let i = 0; i < xs.length; i++) {
      const at = (delta: number) => {
        const v = Float32Array.from(xs);
        v[i] += delta;
        const t = tf.tensor(v, x.shape);
        const l = loss(t).dataSync()[0];
        t.dispose();
        return l;
      };
      const numeric = (at(eps) - at(-eps)) / (2 * eps);
      worst = Math.max(worst, Math.abs(numeric - gx[i]) / Math.max(1, Math.abs(gx[i])));
    }
    expect(worst).toBeLessThan(2e-3);
    tf.dispose([x, wo, ...grads]);
    layer.dispose();
  });
});
