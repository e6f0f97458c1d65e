import { useBackend } from '@seqzoo/backend';
import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { Dense, LSTM, Module, valueAndGrads } from './index';

// The README's example, run as written (fewer steps).
it('README example runs', async () => {
  await useBackend('wasm');

  class Tagger extends Module {
    readonly rnn = this.registerModule(
      'rnn',
      new LSTM({ inputSize: 8, hiddenSize: 16, bidirectional: true, seed: 1 }),
    );
    readonly head = this.registerModule(
      'head',
      new Dense({ inputSize: 32, outputSize: 3, seed: 2 }),
    );
    forward(x: tf.Tensor, lengths: number[]) {
      return tf.tidy(() => this.head.forward(this.rnn.forward(x, { lengths }).output));
    }
  }

  const model = new Tagger();
  const x = tf.randomNormal([4, 10, 8]);
  const lengths = [10, 7, 3, 9];
  const optimizer = tf.train.adam(1e-2);
  const losses: number[] = [];
  for (let step = 0; step < 20; step++) {
    const { value, grads } = valueAndGrads(
      model,
      () => tf.mean(tf.square(model.forward(x, lengths))) as tf.Scalar,
    );
    optimizer.applyGradients(
      [...model.namedParameters()].map(([k, v]) => ({ name: v.name, tensor: grads.get(k)! })),
    );
    losses.push((await value.data())[0]);
    tf.dispose([value, ...grads.values()]);
  }
  expect(losses[19]).toBeLessThan(losses[0]);
  expect([...model.namedParameters().keys()]).toContain('rnn.l0Reverse.biasHh');

  const lm = new LSTM({ inputSize: 16, hiddenSize: 256, numLayers: 2 }).eval();
  const stepper = lm.createStepper({ batchSize: 1 });
  const token = tf.zeros([1, 16]);
  for (let i = 0; i < 20; i++) {
    const h = stepper.step(token);
    expect(h.shape).toEqual([1, 256]);
    h.dispose();
  }
  stepper.dispose();
  tf.dispose([x, token]);
  model.dispose();
  lm.dispose();
});
