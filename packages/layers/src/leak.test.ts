import { useBackend } from '@seqzoo/backend';
import { expectNoLeaks } from '@seqzoo/backend/testing';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { GRU } from './gru';
import { LSTM } from './lstm';
import { RNN } from './rnn';

const layers = [
  [
    'LSTM',
    () =>
      new LSTM({
        inputSize: 3,
        hiddenSize: 4,
        numLayers: 2,
        bidirectional: true,
        dropout: 0.2,
        seed: 1,
      }),
  ],
  ['GRU', () => new GRU({ inputSize: 3, hiddenSize: 4, numLayers: 2, seed: 1 })],
  [
    'GRU resetAfter=false',
    () => new GRU({ inputSize: 3, hiddenSize: 4, resetAfter: false, seed: 1 }),
  ],
  ['RNN', () => new RNN({ inputSize: 3, hiddenSize: 4, bidirectional: true, seed: 1 })],
] as const;

describe.each(['cpu', 'wasm'] as const)('no tensor leaks on %s', (backend) => {
  it.each(layers)(
    '%s: numTensors is flat over 50 training steps (with lengths)',
    async (_n, make) => {
      await useBackend(backend);
      const layer = make();
      const x = tf.randomNormal([3, 5, 3]);
      const optimizer = tf.train.sgd(0.01);
      const stepOnce = () => {
        const cost = optimizer.minimize(
          () => tf.mean(tf.square(layer.forward(x, { lengths: [5, 2, 4] }).output)) as tf.Scalar,
          true,
          layer.parameters(),
        );
        cost?.dispose();
      };
      stepOnce();
      const counts: number[] = [];
      for (let i = 0; i < 50; i++) {
        stepOnce();
        counts.push(tf.memory().numTensors);
      }
      expect(new Set(counts).size).toBe(1);
      // Inference, the step API and the stepper leave nothing behind either.
      await expectNoLeaks(() => {
        const { output, state } = layer.forward(x);
        tf.dispose([output, ...Object.values(state)]);
      }, 'forward');
      if (!layer.bidirectional) {
        await expectNoLeaks(() => {
          const stepper = layer.createStepper({ batchSize: 3 });
          const token = tf.ones([3, 3]);
          for (let i = 0; i < 5; i++) stepper.step(token).dispose();
          stepper.dispose();
          token.dispose();
        }, 'stepper');
      }
      x.dispose();
      layer.dispose();
    },
  );
});
