// Test helper (not exported by the package): runs a PyTorch golden case through seqzoo and
// returns the relative error of every compared quantity.
import * as tf from '@tensorflow/tfjs-core';
import { GRU } from './gru';
import { LSTM } from './lstm';
import { fromPyTorch } from './pytorch';
import type { RecurrentLayer } from './recurrent-layer';
import { RNN } from './rnn';

export interface GoldenTensor {
  shape: number[];
  data: number[];
}

export interface GoldenCase {
  name: string;
  kind: 'lstm' | 'gru' | 'rnn';
  nonlinearity: 'tanh' | 'relu';
  inputSize: number;
  hiddenSize: number;
  numLayers: number;
  bidirectional: boolean;
  lengths: number[] | null;
  input: GoldenTensor;
  initialState: Record<string, GoldenTensor>;
  weights: Record<string, GoldenTensor>;
  output: GoldenTensor;
  state: Record<string, GoldenTensor>;
  lossWeights: Record<string, GoldenTensor>;
  loss: number;
  grads: {
    input: GoldenTensor;
    initialState: Record<string, GoldenTensor>;
    weights: Record<string, GoldenTensor>;
  };
}

const tensor = (g: GoldenTensor) => tf.tensor(g.data, g.shape, 'float32');

export function buildLayer(c: GoldenCase, implementation: 'fused' | 'cell' = 'fused') {
  const options = {
    inputSize: c.inputSize,
    hiddenSize: c.hiddenSize,
    numLayers: c.numLayers,
    bidirectional: c.bidirectional,
    implementation,
    seed: 1,
  };
  if (c.kind === 'lstm') return new LSTM(options);
  if (c.kind === 'gru') return new GRU(options);
  return new RNN({ ...options, nonlinearity: c.nonlinearity });
}

/** max |a − b| / max |b| over a tensor. */
export function relativeError(actual: ArrayLike<number>, expected: number[]): number {
  if (actual.length !== expected.length) return Number.POSITIVE_INFINITY;
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < expected.length; i++) {
    diff = Math.max(diff, Math.abs(actual[i] - expected[i]));
    scale = Math.max(scale, Math.abs(expected[i]));
  }
  return diff / Math.max(scale, 1e-12);
}

/** Runs the case; returns the relative error of each quantity, by name. */
export async function checkGolden(
  c: GoldenCase,
  implementation: 'fused' | 'cell' = 'fused',
): Promise<Record<string, number>> {
  const layer: RecurrentLayer<string> = buildLayer(c, implementation);
  const weights = Object.fromEntries(Object.entries(c.weights).map(([k, v]) => [k, tensor(v)]));
  fromPyTorch(layer, weights);
  tf.dispose(Object.values(weights));
  const x = tensor(c.input);
  const initialKeys = Object.keys(c.initialState);
  const initial = initialKeys.map((k) => tensor(c.initialState[k]));
  const lossWeights = Object.fromEntries(
    Object.entries(c.lossWeights).map(([k, v]) => [k, tensor(v)]),
  );
  const params = [...layer.namedParameters()];
  const errors: Record<string, number> = {};
  const outputs: Record<string, tf.Tensor> = {};
  const f = (xx: tf.Tensor, ...rest: tf.Tensor[]) => {
    const initialState = initialKeys.length
      ? Object.fromEntries(initialKeys.map((k, i) => [k, rest[i] as tf.Tensor3D]))
      : undefined;
    const { output, state } = layer.forward(xx, {
      lengths: c.lengths ?? undefined,
      initialState: initialState as never,
    });
    const terms = [tf.sum(tf.mul(output, lossWeights.output))];
    for (const [k, s] of Object.entries(state)) {
      terms.push(tf.sum(tf.mul(s as tf.Tensor, lossWeights[k])));
      outputs[k] = tf.keep(tf.clone(s as tf.Tensor));
    }
    outputs.output = tf.keep(tf.clone(output));
    return tf.addN(terms) as tf.Scalar;
  };
  const { value, grads } = tf.valueAndGrads(f)([x, ...initial, ...params.map(([, v]) => v)]);
  errors.output = relativeError(await outputs.output.data(), c.output.data);
  for (const k of Object.keys(c.state)) {
    errors[`state.${k}`] = relativeError(await outputs[k].data(), c.state[k].data);
  }
  errors['grad.input'] = relativeError(await grads[0].data(), c.grads.input.data);
  for (const [i, k] of initialKeys.entries()) {
    errors[`grad.initialState.${k}`] = relativeError(
      await grads[1 + i].data(),
      c.grads.initialState[k].data,
    );
  }
  // Parameter gradients: bring PyTorch's into our layout through the converter.
  const expected = buildLayer(c, implementation);
  const torchGrads = Object.fromEntries(
    Object.entries(c.grads.weights).map(([k, v]) => [k, tensor(v)]),
  );
  fromPyTorch(expected, torchGrads);
  tf.dispose(Object.values(torchGrads));
  const expectedState = expected.stateDict();
  for (const [i, [path]] of params.entries()) {
    const g = grads[1 + initialKeys.length + i];
    errors[`grad.${path}`] = relativeError(
      await g.data(),
      Array.from(await expectedState.get(path)!.data()),
    );
  }
  tf.dispose([
    x,
    value,
    ...initial,
    ...grads,
    ...Object.values(lossWeights),
    ...Object.values(outputs),
  ]);
  layer.dispose();
  expected.dispose();
  return errors;
}

/** The entries of `errors` above `tolerance` (empty when the case passes). */
export function failures(
  errors: Record<string, number>,
  tolerance: number,
): Record<string, number> {
  return Object.fromEntries(Object.entries(errors).filter(([, e]) => !(e <= tolerance)));
}
