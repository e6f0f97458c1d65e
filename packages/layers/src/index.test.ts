import { useBackend } from '@seqzoo/backend';
import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import * as layers from './index';

it('exports the public contract other packages code against', async () => {
  for (const name of [
    'Module',
    'LSTM',
    'GRU',
    'RNN',
    'LSTMCell',
    'GRUCell',
    'SimpleRNNCell',
    'Dense',
    'Embedding',
    'Dropout',
    'LayerNorm',
    'valueAndGrads',
    'toPyTorch',
    'fromPyTorch',
    'toKeras',
    'fromKeras',
  ]) {
    expect(typeof (layers as Record<string, unknown>)[name], name).toBe('function');
  }
  await useBackend('cpu');
  const lstm = new layers.LSTM({ inputSize: 4, hiddenSize: 3, numLayers: 1, bidirectional: false });
  const x = tf.zeros([2, 5, 4]);
  const { output, state } = lstm.forward(x, { lengths: [5, 2] });
  expect(output.shape).toEqual([2, 5, 3]);
  expect(state.h.shape).toEqual([1, 2, 3]);
  expect(state.c.shape).toEqual([1, 2, 3]);
  // tf.variableGrads over lstm.parameters() works as well as valueAndGrads (the benchmark's way).
  const { value, grads } = tf.variableGrads(
    () => tf.sum(lstm.forward(tf.ones([2, 5, 4])).output) as tf.Scalar,
    lstm.parameters(),
  );
  expect(Object.keys(grads)).toHaveLength(4);
  tf.dispose([x, output, state.h, state.c, value, ...Object.values(grads)]);
  lstm.dispose();
});
