import { useBackend } from '@seqzoo/backend';
import { sgd } from '@seqzoo/optimizers';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { fit } from './fit';
import { makeModel, tensorsOf, trainData, validationData } from './fixtures.test-util';

beforeAll(async () => {
  await useBackend('cpu');
});

describe('fit is generic in the model', () => {
  it("the loss and validation functions receive the model's own type (no casts)", async () => {
    const model = makeModel(0);
    const optimizer = sgd(model.namedParameters(), { lr: 0.1 });
    const seen: number[] = [];
    const r = await fit(model, trainData(32), {
      optimizer,
      epochs: 1, // 32 examples in batches of 8, validated at the epoch's end
      // `m` is an ExampleMlp: its own loss() and config type-check without a cast.
      loss: (m, batch) => tf.tidy(() => m.loss(tensorsOf(batch))),
      validation: {
        data: validationData(16),
        loss: (m, batch) => tf.tidy(() => m.loss(tensorsOf(batch))),
        evaluate: async (m) => {
          seen.push(m.config.hiddenSizes[0]);
          return { layers: m.layers.length };
        },
      },
    });
    expect(r.steps).toBe(4);
    expect(seen).toEqual([8]);
    expect(r.history.at(-1)?.validation?.layers).toBe(2);
    const neverRun = () =>
      fit(model, trainData(8), {
        optimizer,
        // @ts-expect-error ExampleMlp has no property `nope`: a compile error, not a runtime one
        loss: (m) => m.nope,
      });
    expect(typeof neverRun).toBe('function');
    optimizer.dispose();
    model.dispose();
  });
});
