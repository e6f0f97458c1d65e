import { useBackend } from '@seqzoo/backend';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { Dense } from './dense';
import { LayerConfigError, StateDictError } from './errors';
import { GRU } from './gru';
import { fromKeras, toKeras } from './keras';
import { LSTM } from './lstm';
import { fromPyTorch, toPyTorch } from './pytorch';
import { RNN } from './rnn';

beforeAll(async () => {
  await useBackend('cpu');
});

const maxDiff = async (a: tf.Tensor, b: tf.Tensor) =>
  (await tf.max(tf.abs(tf.sub(a, b))).data())[0];

describe('PyTorch converter', () => {
  it('uses PyTorch names and layouts and round-trips', async () => {
    const a = new GRU({ inputSize: 3, hiddenSize: 2, numLayers: 2, bidirectional: true, seed: 1 });
    const torch = toPyTorch(a);
    expect([...torch.keys()].slice(0, 4)).toEqual([
      'weight_ih_l0',
      'weight_hh_l0',
      'bias_ih_l0',
      'bias_hh_l0',
    ]);
    expect(torch.get('weight_ih_l0_reverse')!.shape).toEqual([6, 3]);
    expect(torch.get('weight_ih_l1')!.shape).toEqual([6, 4]);
    const b = new GRU({ inputSize: 3, hiddenSize: 2, numLayers: 2, bidirectional: true, seed: 2 });
    fromPyTorch(b, torch);
    for (const [k, v] of a.stateDict()) expect(await maxDiff(v, b.stateDict().get(k)!)).toBe(0);
    tf.dispose([...torch.values()]);
    a.dispose();
    b.dispose();
  });

  it('names the PyTorch parameter in shape errors and refuses GRU resetAfter: false', () => {
    const lstm = new LSTM({ inputSize: 3, hiddenSize: 2 });
    const torch = toPyTorch(lstm);
    torch.set('weight_hh_l0', tf.zeros([8, 3]));
    const error = (() => {
      try {
        fromPyTorch(lstm, torch);
      } catch (e) {
        return e as StateDictError;
      }
    })();
    expect(error).toBeInstanceOf(StateDictError);
    expect(error!.parameter).toBe('weight_hh_l0');
    expect(error!.message).toMatch(/expected \[8,2\]/);
    torch.delete('weight_hh_l0');
    expect(() => fromPyTorch(lstm, torch)).toThrow(/missing 'weight_hh_l0'/);
    expect(() => toPyTorch(new GRU({ inputSize: 1, hiddenSize: 1, resetAfter: false }))).toThrow(
      LayerConfigError,
    );
    lstm.dispose();
  });

  it('maps Dense to nn.Linear (weight transposed)', async () => {
    const d = new Dense({ inputSize: 3, outputSize: 2, seed: 4 });
    const t = toPyTorch(d);
    expect(t.get('weight')!.shape).toEqual([2, 3]);
    expect(await maxDiff(t.get('weight')!, tf.transpose(d.weight))).toBe(0);
    d.dispose();
  });
});

describe('Keras converter, checked against tfjs-layers (Keras semantics)', () => {
  const x = () => tf.randomNormal([2, 5, 3], 0, 1, 'float32', 7);
  const common = {
    units: 4,
    returnSequences: true,
    kernelInitializer: 'glorotUniform',
    recurrentInitializer: 'glorotUniform',
    biasInitializer: 'randomNormal',
  } as const;

  it('LSTM (gates i, f, c, o)', async () => {
    const keras = tfl.layers.lstm({ ...common, recurrentActivation: 'sigmoid' });
    const input = x();
    const expected = keras.apply(input) as tf.Tensor;
    const [kernel, recurrent_kernel, bias] = keras.getWeights();
    const ours = new LSTM({ inputSize: 3, hiddenSize: 4 });
    fromKeras(ours, { kernel, recurrent_kernel, bias });
    expect(await maxDiff(ours.forward(input).output, expected)).toBeLessThan(1e-5);
    const back = toKeras(ours);
    expect(await maxDiff(back.bias!, bias)).toBe(0);
    expect(await maxDiff(back.kernel, kernel)).toBe(0);
    ours.dispose();
  });

  it('GRU reset_after=False (Keras gates z, r, h) and the round trip of reset_after=True', async () => {
    const keras = tfl.layers.gru({ ...common, recurrentActivation: 'sigmoid' });
    const input = x();
    const expected = keras.apply(input) as tf.Tensor;
    const [kernel, recurrent_kernel, bias] = keras.getWeights();
    const ours = new GRU({ inputSize: 3, hiddenSize: 4, resetAfter: false });
    fromKeras(ours, { kernel, recurrent_kernel, bias });
    expect(await maxDiff(ours.forward(input).output, expected)).toBeLessThan(1e-5);
    const back = toKeras(ours);
    expect(await maxDiff(back.recurrent_kernel, recurrent_kernel)).toBe(0);
    // reset_after=True: bias [2, 3H]; the round trip is exact.
    const after = new GRU({ inputSize: 3, hiddenSize: 4, init: 'pytorch', seed: 3 });
    const w = toKeras(after);
    expect(w.bias!.shape).toEqual([2, 12]);
    const copy = new GRU({ inputSize: 3, hiddenSize: 4, seed: 9 });
    fromKeras(copy, w);
    for (const [k, v] of after.stateDict())
      expect(await maxDiff(v, copy.stateDict().get(k)!)).toBe(0);
    expect(() => fromKeras(ours, w)).toThrow(/'bias' has shape \[2,12\], expected \[12\]/);
    [ours, after, copy].forEach((m) => {
      m.dispose();
    });
  });

  it('SimpleRNN, one direction of a bidirectional stack', async () => {
    const keras = tfl.layers.simpleRNN({ ...common });
    const input = x();
    const expected = keras.apply(input) as tf.Tensor;
    const [kernel, recurrent_kernel, bias] = keras.getWeights();
    const ours = new RNN({ inputSize: 3, hiddenSize: 4, goBackwards: false });
    fromKeras(ours, { kernel, recurrent_kernel, bias }, { layer: 0 });
    expect(await maxDiff(ours.forward(input).output, expected)).toBeLessThan(1e-5);
    const bi = new RNN({ inputSize: 3, hiddenSize: 4, bidirectional: true });
    fromKeras(bi, { kernel, recurrent_kernel, bias }, { reverse: true });
    expect(await maxDiff(bi.cells[1].weightIh, kernel)).toBe(0);
    expect(() => fromKeras(bi, { kernel, recurrent_kernel, bias }, { layer: 1 })).toThrow(
      /no cell for layer 1/,
    );
    ours.dispose();
    bi.dispose();
  });
});
