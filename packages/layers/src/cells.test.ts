import { useBackend } from '@seqzoo/backend';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { InputShapeError, LayerConfigError } from './errors';
import { GRU } from './gru';
import { GRUCell } from './gru-cell';
import { LSTM } from './lstm';
import { LSTMCell } from './lstm-cell';
import { RNN } from './rnn';
import { SimpleRNNCell } from './simple-rnn-cell';

beforeAll(async () => {
  await useBackend('cpu');
});

const maxDiff = (a: tf.Tensor, b: tf.Tensor) => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0];

describe('cells', () => {
  it('LSTMCell.step is one step of the LSTM layer (state in, state out)', () => {
    const layer = new LSTM({ inputSize: 3, hiddenSize: 4, seed: 1 });
    const cell = new LSTMCell({ inputSize: 3, hiddenSize: 4, seed: 2 });
    cell.loadStateDict(layer.cells[0].stateDict());
    const x = tf.randomNormal([2, 2, 3], 0, 1, 'float32', 3);
    const [x0, x1] = tf.unstack(x, 1) as tf.Tensor2D[];
    const first = cell.step(x0);
    const second = cell.step(x1, first.state);
    const whole = layer.forward(x);
    expect(
      maxDiff(second.output, tf.squeeze(tf.slice(whole.output, [0, 1, 0], [2, 1, 4]), [1])),
    ).toBeLessThan(1e-6);
    expect(maxDiff(second.state.c, tf.squeeze(whole.state.c, [0]))).toBeLessThan(1e-6);
    layer.dispose();
    cell.dispose();
  });

  it('GRUCell and SimpleRNNCell steps match their layers; both GRU variants differ', () => {
    const x = tf.randomNormal([2, 1, 3], 0, 1, 'float32', 4);
    const x0 = tf.squeeze(x, [1]) as tf.Tensor2D;
    for (const resetAfter of [true, false]) {
      const layer = new GRU({ inputSize: 3, hiddenSize: 4, resetAfter, init: 'pytorch', seed: 5 });
      const cell = new GRUCell({ inputSize: 3, hiddenSize: 4, resetAfter });
      cell.loadStateDict(layer.cells[0].stateDict());
      const h0 = tf.randomNormal([2, 4], 0, 1, 'float32', 6) as tf.Tensor2D;
      const { output } = cell.step(x0, { h: h0 });
      const ref = layer.forward(x, { initialState: { h: tf.expandDims(h0, 0) as tf.Tensor3D } });
      expect(maxDiff(output, tf.squeeze(ref.state.h, [0]))).toBeLessThan(1e-6);
      expect(cell.math === null).toBe(!resetAfter);
      layer.dispose();
      cell.dispose();
    }
    const rnn = new RNN({ inputSize: 3, hiddenSize: 4, nonlinearity: 'relu', seed: 7 });
    const rcell = new SimpleRNNCell({ inputSize: 3, hiddenSize: 4, nonlinearity: 'relu' });
    rcell.loadStateDict(rnn.cells[0].stateDict());
    const out = rcell.step(x0).output;
    expect(maxDiff(out, tf.squeeze(rnn.forward(x).output, [1]))).toBeLessThan(1e-6);
    expect(Math.min(...out.dataSync())).toBeGreaterThanOrEqual(0);
    rnn.dispose();
    rcell.dispose();
  });

  it('cells check their options and inputs', () => {
    expect(
      () => new SimpleRNNCell({ inputSize: 2, hiddenSize: 2, nonlinearity: 'gelu' as 'relu' }),
    ).toThrow(/expected 'tanh' or 'relu', got 'gelu'/);
    expect(() => new LSTMCell({ inputSize: 2, hiddenSize: 2, init: 'torch' as 'pytorch' })).toThrow(
      LayerConfigError,
    );
    const cell = new GRUCell({ inputSize: 2, hiddenSize: 3 });
    expect(() => cell.step(tf.zeros([1, 3]) as tf.Tensor2D)).toThrow(InputShapeError);
    expect(() =>
      cell.step(tf.zeros([1, 2]) as tf.Tensor2D, { h: tf.zeros([2, 3]) as tf.Tensor2D }),
    ).toThrow(/state tensors \[1, 3\]/);
    cell.dispose();
  });
});
