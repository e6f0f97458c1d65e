import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { Dense } from './dense';
import { Embedding } from './embedding';
import { LSTM } from './lstm';
import { withoutInitialization } from './module';

const values = (m: { stateDict(): Map<string, tf.Tensor> }) =>
  new Map([...m.stateDict()].map(([k, v]) => [k, { shape: v.shape, data: [...v.dataSync()] }]));

describe('withoutInitialization', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('builds the same parameters (names, shapes) as zeros instead of random draws', () => {
    const build = () => new LSTM({ inputSize: 5, hiddenSize: 4, bidirectional: true, seed: 3 });
    const normal = build();
    const skipped = withoutInitialization(build);
    const a = values(normal);
    const b = values(skipped);
    expect([...b.keys()]).toEqual([...a.keys()]);
    for (const [name, { shape, data }] of b) {
      expect(shape, name).toEqual(a.get(name)?.shape);
      expect(
        data.every((x) => x === 0),
        name,
      ).toBe(true);
    }
    // The normal build really draws (so the test above could fail).
    expect([...a.values()].some(({ data }) => data.some((x) => x !== 0))).toBe(true);
    normal.dispose();
    skipped.dispose();
  });

  it('ends with the call: later builds draw again, also after a throw, and nesting works', () => {
    expect(() =>
      withoutInitialization(() => {
        throw new Error('in build');
      }),
    ).toThrow('in build');
    const inner = withoutInitialization(() =>
      withoutInitialization(() => new Dense({ inputSize: 3, outputSize: 2, seed: 1 })),
    );
    const after = new Dense({ inputSize: 3, outputSize: 2, seed: 1 });
    expect([...inner.stateDict().get('weight')!.dataSync()].every((x) => x === 0)).toBe(true);
    expect([...after.stateDict().get('weight')!.dataSync()].some((x) => x !== 0)).toBe(true);
    inner.dispose();
    after.dispose();
  });

  it('owns its tensors: building and disposing leaves the count flat', () => {
    const before = tf.memory().numTensors;
    const m = withoutInitialization(() => new Embedding({ numEmbeddings: 10, embeddingDim: 3 }));
    m.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('a model built without initialisation computes like the original once its weights are loaded', () => {
    const original = new LSTM({ inputSize: 3, hiddenSize: 2, seed: 9 });
    const copy = withoutInitialization(() => new LSTM({ inputSize: 3, hiddenSize: 2, seed: 9 }));
    copy.loadStateDict(original.stateDict());
    const x = tf.randomNormal([2, 4, 3], 0, 1, 'float32', 5) as tf.Tensor3D;
    const a = original.forward(x);
    const b = copy.forward(x);
    expect(b.output.arraySync()).toEqual(a.output.arraySync());
    tf.dispose([x, a.output, b.output, ...Object.values(a.state), ...Object.values(b.state)]);
    original.dispose();
    copy.dispose();
  });
});
