import { useBackend } from '@seqzoo/backend';
import { adam } from '@seqzoo/optimizers';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { fit } from './fit';
import { makeModel, tensorsOf, trainData } from './fixtures.test-util';

describe('fit in the browser', () => {
  for (const backend of ['cpu', 'webgl'] as const) {
    it(`trains on ${backend} (no checkpoints: those are Node only)`, async () => {
      await useBackend(backend);
      const model = makeModel(0);
      const optimizer = adam(model.namedParameters(), { lr: 0.05 });
      const before = tf.memory().numTensors;
      const result = await fit(model, trainData(), {
        optimizer,
        loss: (m, b) => tf.tidy(() => (m as ReturnType<typeof makeModel>).loss(tensorsOf(b))),
        epochs: 5,
      });
      expect(result.steps).toBe(40);
      expect(result.history[4].loss).toBeLessThan(result.history[0].loss * 0.8);
      const held = [...model.namedParameters().keys()].reduce(
        (n, k) => n + Object.keys(optimizer.stateOf(k)?.buffers ?? {}).length,
        0,
      );
      expect(tf.memory().numTensors).toBe(before + held);
      optimizer.dispose();
      model.dispose();
    });
  }
});
