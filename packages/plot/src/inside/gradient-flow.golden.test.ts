import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { useBackend } from '@seqzoo/backend';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { GradientFlowModel } from './gradient-flow';

/** Made by goldens/make-gradient-flow.py (PyTorch 1.13, the cells run step by step, autograd). */
const golden = JSON.parse(
  readFileSync(join(import.meta.dirname, '../../goldens/gradient-flow.json'), 'utf8'),
) as {
  batch: { input: number[][]; target: number[] };
  symbols: number;
  hidden: number;
  cells: Record<
    string,
    { state: Record<string, number[] | number[][]>; loss: number; norms: number[] }
  >;
};

beforeAll(async () => {
  await useBackend('cpu');
});

describe('‖∂L/∂h_t‖ against PyTorch', () => {
  for (const cell of ['rnn', 'gru', 'lstm'] as const) {
    it(`${cell}: the loss and every ‖∂L/∂h_t‖ match PyTorch's autograd to 1e-4 (relative)`, () => {
      const model = new GradientFlowModel(cell, {
        hiddenSize: golden.hidden,
        symbols: golden.symbols,
        batchSize: golden.batch.input.length,
      });
      const { state, loss, norms } = golden.cells[cell];
      const tensors = new Map(Object.entries(state).map(([k, v]) => [k, tf.tensor(v)]));
      model.loadStateDict(tensors);
      tf.dispose([...tensors.values()]);
      const ours = tf.tidy(
        () =>
          model
            .stepwiseLoss(
              golden.batch,
              golden.batch.input[0].map(() => tf.zeros([3, golden.hidden])),
            )
            .dataSync()[0],
      );
      expect(Math.abs(ours - loss) / loss).toBeLessThan(1e-5);
      const curve = model.measure(golden.batch.input[0].length, golden.batch);
      curve.norms.forEach((v, t) => {
        expect(Math.abs(v - norms[t]) / norms[t], `t=${t}: ${v} vs ${norms[t]}`).toBeLessThan(1e-4);
      });
      model.dispose();
    });
  }
});
