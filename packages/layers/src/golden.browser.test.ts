import { useBackend } from '@seqzoo/backend';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import goldens from '../goldens/rnn-goldens.json';
import { checkGolden, failures, type GoldenCase } from './golden-check';

// A subset of the PyTorch goldens on WebGL and WebGPU (SwiftShader in Chromium): every cell kind,
// one and two layers, uni- and bidirectional, with and without lengths; relative error ≤ 1e-3.
const subset = new Set([
  'lstm layers=1 uni full',
  'lstm layers=2 bi lengths',
  'gru layers=1 bi full',
  'gru layers=2 uni lengths',
  'rnn-tanh layers=1 uni lengths',
  'rnn-relu layers=2 bi lengths',
]);
const cases = (goldens as { cases: GoldenCase[] }).cases.filter((c) => subset.has(c.name));

it('the webgl/webgpu subset covers every cell kind and option', () => {
  expect(cases).toHaveLength(subset.size);
});

describe.each(['webgl', 'webgpu'] as const)(
  'PyTorch goldens on %s (relative error ≤ 1e-3)',
  (backend) => {
    it.each(cases.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
      await useBackend(backend);
      expect(tf.getBackend()).toBe(backend);
      const before = tf.memory().numTensors;
      expect(failures(await checkGolden(c), 1e-3)).toEqual({});
      expect(tf.memory().numTensors).toBe(before);
    });
  },
);
