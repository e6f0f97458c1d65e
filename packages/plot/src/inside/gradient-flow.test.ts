import { useBackend } from '@seqzoo/backend';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { PlotArgumentError } from './errors';
import { GradientFlowModel, gradientFlow } from './gradient-flow';

beforeAll(async () => {
  await useBackend('cpu');
});

describe('gradient flow through RNN, GRU and LSTM (copy task)', () => {
  it('length 50, seed 0, fresh: the plain RNN’s ‖∂L/∂h_0‖ is orders of magnitude below the LSTM’s', () => {
    const curves = gradientFlow([50], { seed: 0 });
    const at0 = Object.fromEntries(curves.map((c) => [c.cell, c.norms[0]]));
    const last = Object.fromEntries(curves.map((c) => [c.cell, c.norms[49]]));
    console.log('‖∂L/∂h_0‖ at T = 50:', at0, 'at t = 49:', last);
    // At the last step the three are alike (the loss reads h_49 directly) …
    expect(last.rnn / last.lstm).toBeGreaterThan(0.3);
    expect(last.rnn / last.lstm).toBeLessThan(3);
    // … 49 steps back the RNN's has vanished: at least 1000× below the LSTM's.
    expect(at0.lstm / at0.rnn).toBeGreaterThan(1e3);
    // The RNN's gradient shrinks along t (measured at t = 0, 10, 20, 30, 40, 49).
    const rnn = curves.find((c) => c.cell === 'rnn')!.norms;
    for (const t of [0, 10, 20, 30, 40]) expect(rnn[t]).toBeLessThan(rnn[t + 9]);
  });

  it('∂L/∂h_t matches a central finite difference of the loss along the gradient (T = 6, each cell)', () => {
    for (const cell of ['rnn', 'gru', 'lstm'] as const) {
      const model = new GradientFlowModel(cell, {
        hiddenSize: 5,
        symbols: 4,
        batchSize: 3,
        seed: 4,
      });
      const batch = model.batch(6);
      for (const t of [0, 3, 5]) {
        const [g, numeric] = tf.tidy(() => {
          const zeros = batch.input[0].map(() => tf.zeros([3, 5]));
          const grads = tf.grads((...e: tf.Tensor[]) => model.stepwiseLoss(batch, e))(zeros);
          const norm = tf.norm(grads[t]).dataSync()[0];
          const dir = tf.div(grads[t], norm);
          const eps = 1e-2;
          const at = (s: number) =>
            model
              .stepwiseLoss(
                batch,
                zeros.map((z, k) => (k === t ? tf.mul(dir, s * eps) : z)),
              )
              .dataSync()[0];
          // The directional derivative along the unit gradient is the gradient's norm.
          return [norm, (at(1) - at(-1)) / (2 * eps)];
        });
        expect(Math.abs(numeric - g) / g, `${cell} t=${t}: ${numeric} vs ${g}`).toBeLessThan(2e-2);
      }
      model.dispose();
    }
  });

  it('measure is the mean over the batch of the per-row norms; measure and trainStep leave no tensor behind', () => {
    const model = new GradientFlowModel('lstm', { hiddenSize: 8, batchSize: 4, seed: 1 });
    const batch = model.batch(5);
    model.measure(5, batch); // warm-up (kernels, constants)
    model.trainStep(5); // Adam makes its moments at the first step: the optimizer's, kept
    const before = tf.memory().numTensors;
    const curve = model.measure(5, batch);
    expect(tf.memory().numTensors).toBe(before);
    const direct = tf.tidy(() => {
      const zeros = batch.input[0].map(() => tf.zeros([4, 8]));
      const grads = tf.grads((...e: tf.Tensor[]) => model.stepwiseLoss(batch, e))(zeros);
      return grads.map((g) => tf.mean(tf.norm(g, 'euclidean', 1)).dataSync()[0]);
    });
    curve.norms.forEach((n, t) => {
      expect(n).toBeCloseTo(direct[t], 6);
    });
    model.trainStep(5);
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });

  it('training steps lower the loss at a short length (the model learns to recall)', () => {
    const model = new GradientFlowModel('lstm', {
      hiddenSize: 16,
      symbols: 4,
      batchSize: 32,
      seed: 2,
      lr: 0.03,
    });
    const losses = Array.from({ length: 40 }, () => model.trainStep(3));
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(mean(losses.slice(-8))).toBeLessThan(mean(losses.slice(0, 8)) * 0.7);
    expect(model.measure(3).steps).toBe(40);
    model.dispose();
  });

  it('bad arguments are PlotArgumentErrors naming the field', () => {
    expect(() => new GradientFlowModel('elman' as never)).toThrow(PlotArgumentError);
    expect(() => new GradientFlowModel('rnn', { hiddenSize: 0 })).toThrow(/hiddenSize/);
    expect(() => gradientFlow([])).toThrow(/lengths/);
    expect(() => gradientFlow([0])).toThrow(/length/);
  });
});
