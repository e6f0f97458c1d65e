import { useBackend } from '@seqzoo/backend';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import goldens from '../goldens/rnn-goldens.json';
import { checkGolden, failures, type GoldenCase } from './golden-check';

const cases = (goldens as { cases: GoldenCase[] }).cases;

describe.each(['cpu', 'wasm'] as const)(
  'PyTorch goldens on %s (relative error ≤ 1e-5)',
  (backend) => {
    it.each(cases.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
      await useBackend(backend);
      const before = tf.memory().numTensors;
      const errors = await checkGolden(c);
      expect(failures(errors, 1e-5)).toEqual({});
      // Every parameter, the input, the outputs and the final states were compared.
      const compared = [c.state, c.grads.weights, c.initialState].map((o) => Object.keys(o).length);
      expect(Object.keys(errors)).toHaveLength(2 + compared[0] + compared[1] + compared[2]);
      expect(tf.memory().numTensors).toBe(before);
    });
  },
);

describe('PyTorch goldens through the plain cell path on cpu', () => {
  it.each(cases.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    await useBackend('cpu');
    expect(failures(await checkGolden(c, 'cell'), 1e-5)).toEqual({});
  });
});
