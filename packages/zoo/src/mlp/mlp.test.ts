import { useBackend } from '@seqzoo/backend';
import { expectNoLeaks } from '@seqzoo/backend/testing';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { registry, saveAndLoad } from '../testing/round-trip';
import { Mlp } from './mlp';

const XOR_X = [
  [0, 0],
  [0, 1],
  [1, 0],
  [1, 1],
];
const XOR_Y = [0, 1, 1, 0];

describe('Mlp', () => {
  beforeAll(async () => {
    await useBackend('cpu');
  });

  it('a single-layer perceptron cannot learn XOR; one hidden layer can', async () => {
    const perceptron = new Mlp({ inputSize: 2, outputSize: 2, seed: 1 });
    await perceptron.fit(XOR_X, XOR_Y, { epochs: 300, batchSize: 4, lr: 0.05 });
    const linearHits = perceptron.predict(XOR_X).filter((p, i) => p === XOR_Y[i]).length;
    expect(linearHits).toBeLessThan(4);
    const mlp = new Mlp({ inputSize: 2, hiddenSizes: [8], activation: 'tanh', seed: 1 });
    const h = await mlp.fit(XOR_X, XOR_Y, { epochs: 300, batchSize: 4, lr: 0.05 });
    expect(mlp.predict(XOR_X)).toEqual(XOR_Y);
    expect(h.loss[h.loss.length - 1]).toBeLessThan(h.loss[0] / 5);
    perceptron.dispose();
    mlp.dispose();
  });

  it('sigmoid output (logistic regression) learns a linear rule; per-layer activations', async () => {
    const x: number[][] = [];
    const y: number[] = [];
    for (let i = 0; i < 64; i++) {
      const a = Math.sin(i * 1.7);
      const b = Math.cos(i * 2.3);
      x.push([a, b]);
      y.push(a + 2 * b > 0.1 ? 1 : 0);
    }
    const logreg = new Mlp({ inputSize: 2, output: 'sigmoid', outputSize: 1 });
    await logreg.fit(x, y, { epochs: 60, batchSize: 16, lr: 0.1 });
    const acc = logreg.predict(x).filter((p, i) => p === y[i]).length / x.length;
    expect(acc).toBeGreaterThan(0.9);
    const p = logreg.predictProba(x);
    expect(p.shape).toEqual([64, 1]);
    expect(Math.min(...p.dataSync())).toBeGreaterThanOrEqual(0);
    p.dispose();
    const deep = new Mlp({
      inputSize: 2,
      hiddenSizes: [4, 3],
      activation: ['relu', 'gelu'],
      output: 'sigmoid',
      outputSize: 3,
    });
    expect([...deep.namedParameters().keys()]).toEqual([
      'fc0.weight',
      'fc0.bias',
      'fc1.weight',
      'fc1.bias',
      'fc2.weight',
      'fc2.bias',
    ]);
    expect(() => deep.predict(x)).toThrow(/predictProba/);
    expect(() => new Mlp({ inputSize: 2, hiddenSizes: [4], activation: ['relu', 'tanh'] })).toThrow(
      /2 activations for 1 hidden layers/,
    );
    logreg.dispose();
    deep.dispose();
  });

  it('saves on cpu and loads on wasm with the same predictions', async () => {
    const model = await registry.create<Mlp>(
      'zoo:mlp',
      {
        inputSize: 2,
        hiddenSizes: [8],
        activation: 'tanh',
        seed: 3,
      },
      { backend: 'cpu' },
    );
    await model.fit(XOR_X, XOR_Y, { epochs: 200, batchSize: 4, lr: 0.05 });
    const probe = [...XOR_X, [0.3, 0.7], [-1, 2]];
    const before = model.predictProba(probe);
    const expected = Array.from(before.dataSync());
    before.dispose();
    const loaded = await saveAndLoad<Mlp>(model, 'wasm');
    expect(tf.getBackend()).toBe('wasm');
    const after = loaded.predictProba(probe);
    const got = Array.from(after.dataSync());
    after.dispose();
    for (let i = 0; i < got.length; i++) expect(got[i]).toBeCloseTo(expected[i], 5);
    expect(loaded.predict(probe)).toEqual(model.predict(probe));
    loaded.dispose();
    await useBackend('cpu');
    model.dispose();
  });

  it('leaks no tensors over 500 training steps and predictions', async () => {
    const model = new Mlp({ inputSize: 2, hiddenSizes: [4], seed: 2 });
    await expectNoLeaks(async () => {
      const h = await model.fit(XOR_X, XOR_Y, { epochs: 1000, batchSize: 2, maxSteps: 500 });
      expect(h.steps).toBe(500);
      model.predict(XOR_X);
      model.predictProba(XOR_X).dispose();
    }, '500 MLP steps');
    model.dispose();
  });
});
