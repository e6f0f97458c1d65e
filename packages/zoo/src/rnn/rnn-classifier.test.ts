import { useBackend } from '@seqzoo/backend';
import { expectNoLeaks } from '@seqzoo/backend/testing';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { registry, saveAndLoad } from '../testing/round-trip';
import { toySpamHam } from '../testing/toy-texts';
import { RnnClassifier } from './rnn-classifier';

const train = toySpamHam(160, 1);
const test = toySpamHam(60, 2);
const small = { embeddingSize: 8, hiddenSize: 8 };

describe('RnnClassifier', () => {
  beforeAll(async () => {
    await useBackend('cpu');
  });

  it('learns held-out spam vs ham with last and max pooling (mean: train-fit.test); reports F1 and confusion', async () => {
    for (const pooling of ['last', 'max'] as const) {
      const model = new RnnClassifier({ ...small, pooling, seed: 1 });
      const h = await model.fit(train.texts, train.labels, { epochs: 3, batchSize: 16, lr: 0.03 });
      expect(h.loss[h.loss.length - 1]).toBeLessThan(h.loss[0]);
      const r = model.evaluate(test.texts, test.labels);
      expect(r.accuracy, pooling).toBeGreaterThan(0.85);
      expect(r.perClass.map((c) => c.label)).toEqual(['ham', 'spam']);
      expect(r.confusion.flat().reduce((s, x) => s + x, 0)).toBe(test.texts.length);
      model.dispose();
    }
  });

  it('pooling is masked: padding a text in a batch with a longer one does not change it', async () => {
    const configs = [
      { pooling: 'last' as const },
      { pooling: 'mean' as const },
      { pooling: 'max' as const },
      { pooling: 'last' as const, bidirectional: true, cell: 'gru' as const },
      { pooling: 'max' as const, bidirectional: true, numLayers: 2, cell: 'rnn' as const },
    ];
    for (const config of configs) {
      const model = new RnnClassifier({ ...small, ...config, seed: 3 });
      await model.fit(train.texts.slice(0, 16), train.labels.slice(0, 16), { epochs: 1 });
      const short = 'free cash';
      const long = 'the team meeting notes and the project review draft for tomorrow';
      const alone = model.predictProba([short]).arraySync()[0];
      const together = model.predictProba([long, short]).arraySync()[1];
      for (let j = 0; j < alone.length; j++)
        expect(together[j], JSON.stringify(config)).toBeCloseTo(alone[j], 5);
      model.dispose();
    }
  });

  it('names parameters embedding / rnn.l{k}[Reverse] / head', async () => {
    const model = new RnnClassifier({ ...small, bidirectional: true, numLayers: 2, cell: 'gru' });
    await model.fit(['a b', 'c d'], ['x', 'y'], { epochs: 1 });
    const names = [...model.namedParameters().keys()];
    expect(names).toContain('embedding.weight');
    expect(names).toContain('rnn.l1Reverse.weightHh');
    expect(names).toContain('head.weight');
    expect(model.namedParameters().get('head.weight')?.shape).toEqual([16, 2]);
    expect(model.vocab.tokens.slice(0, 4)).toEqual(['<pad>', '<unk>', '<bos>', '<eos>']);
    model.dispose();
  });

  it('saves on cpu and loads on wasm with the same predictions', async () => {
    const model = await registry.create<RnnClassifier>(
      'zoo:rnn-classifier',
      { ...small, pooling: 'mean', bidirectional: true, output: 'sigmoid' },
      { backend: 'cpu' },
    );
    await model.fit(train.texts.slice(0, 32), train.labels.slice(0, 32), { epochs: 1 });
    const p0 = model.predictProba(test.texts);
    const expected = p0.arraySync();
    p0.dispose();
    const loaded = await saveAndLoad<RnnClassifier>(model, 'wasm');
    expect(tf.getBackend()).toBe('wasm');
    const p1 = loaded.predictProba(test.texts);
    const got = p1.arraySync();
    p1.dispose();
    for (let i = 0; i < got.length; i++) {
      for (let j = 0; j < got[i].length; j++) expect(got[i][j]).toBeCloseTo(expected[i][j], 5);
    }
    expect(loaded.predict(test.texts)).toEqual(model.predict(test.texts));
    loaded.dispose();
    await useBackend('cpu');
    model.dispose();
  });

  it('leaks no tensors over 500 steps', async () => {
    const model = new RnnClassifier({ embeddingSize: 4, hiddenSize: 4, pooling: 'max' });
    const texts = train.texts.slice(0, 8).map((t) => t.split(' ').slice(0, 4).join(' '));
    await model.fit(texts, train.labels.slice(0, 8), { epochs: 1 });
    await expectNoLeaks(async () => {
      const h = await model.fit(texts, train.labels.slice(0, 8), {
        epochs: 1000,
        batchSize: 4,
        maxSteps: 500,
      });
      expect(h.steps).toBe(500);
      model.evaluate(test.texts.slice(0, 4), test.labels.slice(0, 4));
    });
    model.dispose();
  });
});
