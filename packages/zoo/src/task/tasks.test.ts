import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { useBackend } from '@seqzoo/backend';
import { expectNoLeaks } from '@seqzoo/backend/testing';
import { fromFile } from '@seqzoo/data/node';
import type { LabelledText, PlainText, Task } from '@seqzoo/registry';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { BowClassifier } from '../bow/bow-classifier';
import { ZooConfigError } from '../errors';
import type { RecurrentLM } from '../lm/recurrent-lm';
import { registry } from '../testing/round-trip';
import { toySpamHam } from '../testing/toy-texts';
import type { TextBatch } from '../text/labels';
import { readLabeledCsv } from '../text/labels';
import type { ClassifierOutput, TextClassifierModel } from './classifier-task';
import { fitWithTask } from './fit-with-task';

const toy = toySpamHam(160, 1);
const train: LabelledText[] = toy.texts.map((text, i) => ({ text, label: toy.labels[i] }));
const heldOut = toySpamHam(60, 2);
const test: LabelledText[] = heldOut.texts.map((text, i) => ({ text, label: heldOut.labels[i] }));
const NAMES = ['anna', 'hannah', 'ann', 'nan', 'hana', 'anah', 'noah', 'jonah', 'joan'];

describe('zoo tasks (the model contract)', () => {
  beforeAll(async () => {
    await useBackend('cpu');
  });

  it('every model with weights declares a task; mlp (feature vectors) and markov (counts) do not', () => {
    const ids = registry.list().map((m) => m.id);
    const withTask = ids.filter((id) => registry.definition(id).task);
    expect(withTask.sort()).toEqual([
      'zoo:bow-classifier',
      'zoo:char-lm',
      'zoo:rnn-classifier',
      'zoo:word-lm',
    ]);
    for (const id of withTask) {
      const task = registry.definition(id).task;
      expect(task?.training.learningRate).toBeGreaterThan(0);
      expect(task?.training.batchSize).toBe(32);
    }
    expect(registry.definition('zoo:rnn-classifier').task?.training).toMatchObject({
      learningRate: 5e-3,
      clipGradNorm: 5,
      validationSplit: 0.1,
    });
    expect(registry.definition('zoo:bow-classifier').task?.training.learningRate).toBe(0.05);
    expect(registry.definition('zoo:char-lm').task?.training).toMatchObject({
      learningRate: 3e-3,
      clipGradNorm: 1,
    });
  });

  for (const id of ['zoo:rnn-classifier', 'zoo:bow-classifier'] as const) {
    it(`${id}: vocabularies → create → shuffled batches → loss → metrics → predict`, async () => {
      const task = registry.definition(id).task as unknown as Task<
        TextClassifierModel,
        LabelledText,
        TextBatch
      >;
      const config = { seed: 1 };
      const vocabularies = task.vocabularies!(train, config);
      expect(vocabularies.labels).toEqual(['ham', 'spam']);
      const model = (await registry.create(id, config, {
        backend: 'cpu',
        vocabularies,
      })) as unknown as TextClassifierModel;
      expect(model.isFitted).toBe(true);
      task.prepare?.(model, train); // a no-op on a model built with its vocabularies
      // Training batches: every example once, in a seeded order; evaluation batches in order.
      const a = [...task.batches(model, train, { batchSize: 32, training: true, seed: 3 })];
      const b = [...task.batches(model, train, { batchSize: 32, training: true, seed: 3 })];
      const c = [...task.batches(model, train, { batchSize: 32, training: true, seed: 4 })];
      const plain = [...task.batches(model, train, { batchSize: 32, training: false, seed: 3 })];
      expect(a).toEqual(b);
      expect(a).not.toEqual(c);
      expect(a.length).toBe(5);
      const texts = (batches: typeof a) => batches.flatMap((x) => x.texts);
      expect(texts(a).sort()).toEqual([...toy.texts].sort());
      expect(texts(plain)).toEqual(toy.texts);
      expect(task.size?.(a[0])).toBe(32);

      const before = await task.evaluate(model, test);
      expect(Object.keys(before).sort()).toEqual(['accuracy', 'macroF1']);
      expect(task.metric).toEqual({ name: 'accuracy', mode: 'max' });
      const loss = task.loss(model, a[0], { training: true });
      expect(loss.shape).toEqual([]);
      expect(loss.dataSync()[0]).toBeGreaterThan(0);
      loss.dispose();

      await fitWithTask(model, task, train, {
        epochs: 4,
        lr: id === 'zoo:bow-classifier' ? 0.05 : 0.03,
      });
      const after = await task.evaluate(model, test);
      expect(after.accuracy).toBeGreaterThan(0.85);
      expect(after.accuracy).toBeGreaterThan(before.accuracy);

      const predictions = await task.predict(
        model,
        ['free cash prize now', 'team meeting notes'],
        {},
      );
      expect(predictions.map((p) => p.text)).toEqual(['spam', 'ham']);
      for (const p of predictions) {
        const out = p.output as ClassifierOutput;
        expect(out.label).toBe(p.text);
        const probs = Object.values(out.probabilities);
        expect(probs.reduce((s, x) => s + x, 0)).toBeCloseTo(1, 5);
        expect(out.probabilities[out.label]).toBe(Math.max(...probs));
      }
      await expectNoLeaks(async () => {
        await task.predict(model, ['free cash'], {});
        await task.evaluate(model, test);
      });
      model.dispose();
    });
  }

  it('an empty label is a typed error naming the example (task) or the CSV row', async () => {
    const task = registry.definition('zoo:rnn-classifier').task!;
    const bad = [...train.slice(0, 3), { text: 'no label here', label: ' ' }];
    expect(() => task.vocabularies!(bad, {})).toThrow(ZooConfigError);
    expect(() => task.vocabularies!(bad, {})).toThrow(/example 4 has an empty label/);
    const model = (await registry.create(
      'zoo:bow-classifier',
      {},
      { backend: 'cpu' },
    )) as BowClassifier;
    await expect(model.fit(['a b', 'c d', 'e f'], ['x', '', 'y'])).rejects.toThrow(
      /example 2 has an empty label/,
    );
    model.dispose();
    const dir = await mkdtemp(join(tmpdir(), 'zoo-labels-'));
    try {
      await writeFile(join(dir, 'd.csv'), 'text,label\nfree cash,spam\nhello team,\nlunch,ham\n');
      await expect(
        readLabeledCsv(fromFile(join(dir, 'd.csv')), { textColumn: 'text', labelColumn: 'label' }),
      ).rejects.toThrow(/label: row 2 \(after the header\) has an empty label/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  for (const [id, bits] of [
    ['zoo:char-lm', 'bitsPerChar'],
    ['zoo:word-lm', 'bitsPerToken'],
  ] as const) {
    it(`${id}: windows, loss, perplexity and ${bits}, seeded generation`, async () => {
      const task = registry.definition(id).task!;
      const texts: PlainText[] = (
        id === 'zoo:char-lm' ? NAMES : ['the cat sat', 'the dog sat', 'a cat ran']
      ).map((text) => ({ text }));
      const config = { embeddingSize: 8, hiddenSize: 16, bptt: 4, seed: 1 };
      const model = (await registry.create(id, config, {
        backend: 'cpu',
        vocabularies: task.vocabularies!(texts, config),
      })) as RecurrentLM;
      const windows = [...task.batches(model, texts, { batchSize: 2, training: true, seed: 1 })];
      expect(windows[0]).toMatchObject({ first: true });
      expect(task.size?.(windows[0])).toBe(2 * windows[0].input[0].length);
      const before = await task.evaluate(model, texts);
      expect(before[bits]).toBeCloseTo(Math.log2(before.perplexity), 10);
      expect(task.metric).toEqual({ name: 'perplexity', mode: 'min' });
      await fitWithTask(model, task, texts, { epochs: 15, batchSize: 2, lr: 0.02 });
      model.resetState();
      const after = await task.evaluate(model, texts);
      expect(after.perplexity).toBeLessThan(before.perplexity);
      expect(task.predictOptions).toEqual(['temperature', 'topK', 'maxLength', 'seed']);
      const prompt = id === 'zoo:char-lm' ? 'jo' : 'the';
      const options = { seed: 7, temperature: 0.8, topK: 3, maxLength: 4 };
      const p1 = await task.predict(model, [prompt, prompt], options);
      const p2 = await task.predict(model, [prompt, prompt], options);
      expect(p1).toEqual(p2);
      expect(p1[0].text.startsWith(prompt)).toBe(true);
      const greedy = await task.predict(model, [prompt], { temperature: 0, maxLength: 3 });
      if (id === 'zoo:char-lm')
        expect(greedy[0].text.length).toBeLessThanOrEqual(prompt.length + 3);
      else expect(greedy[0].text.split(' ').length).toBeLessThanOrEqual(1 + 3);
      model.dispose();
    });
  }

  it("char-lm's names dataset: lower-cased names, a seeded sample of `size`", async () => {
    const names = registry.definition('zoo:char-lm').task!.datasets!.names;
    const a = await names.load({ size: 50, seed: 1 });
    const b = await names.load({ size: 50, seed: 1 });
    expect(a.train).toHaveLength(50);
    expect(a).toEqual(b);
    expect((a.train as PlainText[]).every((e) => e.text === e.text.toLowerCase())).toBe(true);
    const all = await names.load({ seed: 1 });
    expect(all.train.length).toBeGreaterThan(5000);
  });

  it('a huge size in a config is a typed error before anything is allocated', async () => {
    const tensors = tf.memory().numTensors;
    await expect(registry.create('zoo:char-lm', { hiddenSize: 30000 })).rejects.toThrow(
      /hiddenSize/,
    );
    await expect(registry.create('zoo:rnn-classifier', { embeddingSize: 1e9 })).rejects.toThrow(
      /embeddingSize/,
    );
    const { RecurrentLM } = await import('../lm/recurrent-lm');
    expect(() => new RecurrentLM({ hiddenSize: 30000 })).toThrow(ZooConfigError);
    expect(() => new RecurrentLM({ hiddenSize: 30000 })).toThrow(/hiddenSize: .*4096/);
    expect(() => new RecurrentLM({ text: { maxVocab: 1e8 } })).toThrow(/text\.maxVocab/);
    const { Mlp } = await import('../mlp/mlp');
    expect(() => new Mlp({ inputSize: 4, hiddenSizes: [8192] })).toThrow(/hiddenSizes\.0/);
    expect(tf.memory().numTensors).toBe(tensors);
  });
});
