import { useBackend } from '@seqzoo/backend';
import { LSTM } from '@seqzoo/layers';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { lstmGates, lstmLayersOf, saturation } from './gates';

beforeAll(async () => {
  await useBackend('cpu');
});

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

/** The LSTM equations in float64, written out from their definition (PyTorch's, i, f, g, o). */
function reference(w: Record<string, number[][] | number[]>, xs: number[][]) {
  const wIh = w.weightIh as number[][];
  const wHh = w.weightHh as number[][];
  const b = (w.biasIh as number[]).map((v, k) => v + (w.biasHh as number[])[k]);
  const H = wHh.length;
  let h = new Array(H).fill(0);
  let c = new Array(H).fill(0);
  const out = {
    input: [] as number[][],
    forget: [] as number[][],
    output: [] as number[][],
    cell: [] as number[][],
  };
  for (const x of xs) {
    const z = b.map(
      (bk, k) =>
        bk +
        x.reduce((a, xi, i) => a + xi * wIh[i][k], 0) +
        h.reduce((a, hj, j) => a + hj * wHh[j][k], 0),
    );
    const i = z.slice(0, H).map(sigmoid);
    const f = z.slice(H, 2 * H).map(sigmoid);
    const g = z.slice(2 * H, 3 * H).map(Math.tanh);
    const o = z.slice(3 * H).map(sigmoid);
    c = c.map((cj, j) => f[j] * cj + i[j] * g[j]);
    h = c.map((cj, j) => o[j] * Math.tanh(cj));
    out.input.push(i);
    out.forget.push(f);
    out.output.push(o);
    out.cell.push(c);
  }
  return out;
}

describe('lstmGates', () => {
  it('matches the LSTM equations (float64) on layer 0 and on layer 1 of a stack, and leaves no tensor', () => {
    const lstm = new LSTM({ inputSize: 3, hiddenSize: 4, numLayers: 2, seed: 5 });
    const state = lstm.stateDict();
    const layers = lstmLayersOf(state as Map<string, tf.Tensor>, '');
    expect(layers).toHaveLength(2);
    const xs = [
      [0.5, -1, 0.2],
      [1, 0.3, -0.4],
      [-0.7, 0.8, 0.1],
      [0.2, 0.2, 0.9],
    ];
    const inputs = tf.tensor2d(xs);
    lstmGates(layers, inputs, 1); // warm-up
    const before = tf.memory().numTensors;
    const g0 = lstmGates(layers, inputs, 0);
    const g1 = lstmGates(layers, inputs, 1);
    expect(tf.memory().numTensors).toBe(before);
    const arr = (t: tf.Tensor | undefined) => (t as tf.Tensor).arraySync() as number[][] & number[];
    const w = (k: number) => ({
      weightIh: arr(state.get(`l${k}.weightIh`)),
      weightHh: arr(state.get(`l${k}.weightHh`)),
      biasIh: arr(state.get(`l${k}.biasIh`)),
      biasHh: arr(state.get(`l${k}.biasHh`)),
    });
    const r0 = reference(w(0), xs);
    const h0 = r0.cell.map((c, t) => c.map((cj, j) => r0.output[t][j] * Math.tanh(cj)));
    const r1 = reference(w(1), h0);
    for (const [got, want] of [
      [g0, r0],
      [g1, r1],
    ] as const) {
      for (const key of ['input', 'forget', 'output', 'cell'] as const) {
        got[key].forEach((row, t) => {
          row.forEach((v, j) => {
            expect(v).toBeCloseTo(want[key][t][j], 5);
          });
        });
      }
    }
    // The layer's own forward pass ends in the same cell state.
    const { state: final } = lstm.forward(tf.tensor3d([xs]));
    const c = final.c.arraySync() as number[][][];
    g1.cell.at(-1)!.forEach((v, j) => {
      expect(v).toBeCloseTo(c[1][0][j], 5);
    });
    tf.dispose([inputs, final.h, final.c]);
    lstm.dispose();
  });

  it('names what is wrong: not an LSTM, no such prefix, a bad layer or input width', () => {
    const state = new Map<string, tf.Tensor>([
      ['rnn.l0.weightIh', tf.zeros([2, 3])],
      ['rnn.l0.weightHh', tf.zeros([3, 3])],
    ]);
    expect(() => lstmLayersOf(state, 'rnn')).toThrow(/not an LSTM layer/);
    expect(() => lstmLayersOf(state, 'encoder')).toThrow(
      /no recurrent layer 'encoder.l0.weightIh'/,
    );
    const lstm = new LSTM({ inputSize: 2, hiddenSize: 3, seed: 1 });
    const layers = lstmLayersOf(lstm.stateDict() as Map<string, tf.Tensor>, '');
    expect(() => lstmGates(layers, tf.zeros([4, 2]) as tf.Tensor2D, 1)).toThrow(
      /layer: expected 0 to 0/,
    );
    expect(() => lstmGates(layers, tf.zeros([4, 5]) as tf.Tensor2D)).toThrow(
      /inputs: expected \[time, 2\]/,
    );
    lstm.dispose();
    tf.dispose([...state.values()]);
  });

  it('saturation counts activations below 0.1 and above 0.9', () => {
    expect(saturation([[0.05, 0.5, 0.95, 0.99]])).toEqual({ left: 0.25, right: 0.5 });
  });
});
