import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { useBackend } from '@seqzoo/backend';
import { expectNoLeaks } from '@seqzoo/backend/testing';
import { fromFile } from '@seqzoo/data/node';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { registry, saveAndLoad } from '../testing/round-trip';
import { toySpamHam } from '../testing/toy-texts';
import { readLabeledCsv } from '../text/labels';
import { BowClassifier } from './bow-classifier';

const train = toySpamHam(300, 1);
const test = toySpamHam(100, 2);

describe('BowClassifier', () => {
  beforeAll(async () => {
    await useBackend('cpu');
  });

  it('logistic regression and an MLP on TF-IDF both learn held-out spam vs ham', async () => {
    for (const config of [{}, { hiddenSizes: [16] }, { output: 'sigmoid' as const }]) {
      const model = new BowClassifier(config);
      const h = await model.fit(train.texts, train.labels, { epochs: 8, batchSize: 16 });
      expect(h.loss[h.loss.length - 1]).toBeLessThan(h.loss[0]);
      const report = model.evaluate(test.texts, test.labels);
      expect(report.accuracy).toBeGreaterThan(0.9);
      expect(report.labels).toEqual(['ham', 'spam']);
      expect(report.perClass.every((c) => c.f1 > 0.85)).toBe(true);
      const p = model.predictProba(['free cash now', 'team meeting notes']);
      const [spam, ham] = [p.arraySync()[0], p.arraySync()[1]];
      p.dispose();
      expect(spam[1]).toBeGreaterThan(0.5);
      expect(ham[0]).toBeGreaterThan(0.5);
      model.dispose();
    }
  });

  it('trains from a CSV with text and label columns', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'zoo-bow-'));
    try {
      const lines = ['label,body,id'];
      train.texts.forEach((t, i) => {
        lines.push(`${train.labels[i]},"${t}",${i}`);
      });
      await writeFile(join(dir, 'data.csv'), `${lines.join('\n')}\n`);
      const data = await readLabeledCsv(fromFile(join(dir, 'data.csv')), {
        textColumn: 'body',
        labelColumn: 'label',
      });
      expect(data.texts).toEqual(train.texts);
      const model = new BowClassifier();
      await model.fit(data.texts, data.labels, { epochs: 5 });
      expect(model.evaluate(test.texts, test.labels).accuracy).toBeGreaterThan(0.9);
      model.dispose();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('saves on cpu and loads on wasm with the same predictions', async () => {
    const model = await registry.create<BowClassifier>(
      'zoo:bow-classifier',
      { hiddenSizes: [8], features: { maxFeatures: 50 } },
      { backend: 'cpu' },
    );
    await model.fit(train.texts, train.labels, { epochs: 3 });
    expect(model.features.size).toBeLessThanOrEqual(50);
    const p0 = model.predictProba(test.texts);
    const expected = p0.arraySync();
    p0.dispose();
    const loaded = await saveAndLoad<BowClassifier>(model, 'wasm');
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

  it('leaks no tensors over 500 steps; rejects misuse', async () => {
    const model = new BowClassifier({ features: { maxFeatures: 30 } });
    await model.fit(train.texts.slice(0, 40), train.labels.slice(0, 40), { epochs: 1 });
    await expectNoLeaks(async () => {
      const h = await model.fit(train.texts.slice(0, 40), train.labels.slice(0, 40), {
        epochs: 1000,
        batchSize: 4,
        maxSteps: 500,
      });
      expect(h.steps).toBe(500);
      model.evaluate(test.texts, test.labels);
    });
    expect(() => model.evaluate(['x'], ['maybe'])).toThrow(/not seen in training/);
    expect(() => new BowClassifier().predict(['x'])).toThrow(/not fitted/);
    await expect(new BowClassifier().fit(['a'], ['x', 'y'])).rejects.toThrow(
      /1 texts but 2 labels/,
    );
    model.dispose();
  });
});
