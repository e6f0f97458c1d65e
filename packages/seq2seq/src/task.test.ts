import { useBackend } from '@seqzoo/backend';
import { createRegistry, type TextPair } from '@seqzoo/registry';
import { fitTask } from '@seqzoo/train';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { type Seq2SeqModel, seq2seqPlugin } from './plugin';
import { seq2seqDatasets, seq2seqTask, type TranslationOutput } from './task';

beforeAll(async () => {
  await useBackend('cpu');
});

const registry = createRegistry({ plugins: [seq2seqPlugin] });

async function build(train: readonly TextPair[], config: Record<string, unknown> = {}) {
  const full = { embeddingSize: 8, hiddenSize: 16, seed: 1, ...config };
  const vocabularies = seq2seqTask.vocabularies!(train, full);
  return registry.create<Seq2SeqModel>('seq2seq:attention', full, { vocabularies });
}

describe('seq2seq task', () => {
  it('is the definition’s task, with the G2P recipe as training defaults', () => {
    expect(registry.definition('seq2seq:attention').task).toBe(seq2seqTask);
    expect(seq2seqTask.training).toMatchObject({
      learningRate: 3e-3,
      batchSize: 128,
      clipGradNorm: 5,
      labelSmoothing: 0.05,
      finalLearningRateFactor: 0.1,
    });
    expect(Object.keys(seq2seqTask.datasets!)).toEqual(
      expect.arrayContaining([
        'dates',
        'addition',
        'copy',
        'reverse',
        'sort',
        'number-words',
        'cmudict',
        'cmudict-stress',
      ]),
    );
  });

  it('synthetic datasets: seeded train/validation/test splits', async () => {
    const a = await seq2seqDatasets.reverse.load({ size: 200, seed: 3 });
    const b = await seq2seqDatasets.reverse.load({ size: 200, seed: 3 });
    expect(a.train).toHaveLength(200);
    expect(a.validation).toHaveLength(100);
    expect(a.test).toHaveLength(1000);
    expect(a.train).toEqual(b.train);
    for (const p of a.train.slice(0, 5)) expect(p.target).toBe([...p.source].reverse().join(''));
  });

  it('cmudict: letters → space-separated phonemes, stress removed or kept, comments dropped', async () => {
    const plain = await seq2seqDatasets.cmudict.load({ seed: 0, size: 500 });
    expect(plain.train).toHaveLength(500);
    expect(plain.test!.length).toBeGreaterThan(10_000);
    const all = [...plain.train, ...plain.validation!, ...plain.test!];
    expect(all.every((p) => !p.target.includes('#'))).toBe(true);
    expect(all.every((p) => !/\d/.test(p.target))).toBe(true);
    const stress = await seq2seqDatasets['cmudict-stress'].load({ seed: 0, size: 50 });
    expect(stress.test!.some((p) => /[012]/.test(p.target))).toBe(true);
    expect(seq2seqDatasets.cmudict.config).toMatchObject({ targetTokens: 'words' });
    // validation: every third validation word, with all its pronunciations
    const words = new Set(plain.validation!.map((p) => p.source));
    expect(words.size).toBeGreaterThan(1000);
  });

  it('batches, loss, evaluate and predict (greedy, beam with n-best and attention); no leaks', async () => {
    const { train } = await seq2seqDatasets.copy.load({ size: 64, seed: 1 });
    const model = await build(train);
    const batches = [
      ...seq2seqTask.batches(model, train, { batchSize: 16, training: true, seed: 2 }),
    ];
    expect(batches).toHaveLength(4);
    expect(seq2seqTask.size!(batches[0])).toBe(
      batches[0].targets.reduce((n, t) => n + t.length + 1, 0),
    );
    const before = tf.memory().numTensors;
    const loss = seq2seqTask.loss(model, batches[0], { training: true, labelSmoothing: 0.05 });
    expect(Number.isFinite(loss.dataSync()[0])).toBe(true);
    loss.dispose();
    const metrics = await seq2seqTask.evaluate(model, train.slice(0, 8));
    expect(Object.keys(metrics).sort()).toEqual(['exactMatch', 'loss', 'per', 'wer']);
    expect(metrics.wer).toBeCloseTo(1 - metrics.exactMatch, 10);
    const [p] = await seq2seqTask.predict(model, ['abc'], { beam: 3, nBest: 2, attention: true });
    const out = p.output as TranslationOutput;
    expect(out.translations).toHaveLength(2);
    expect(p.text).toBe(out.translations[0].text);
    expect(out.attention?.weights.length).toBeGreaterThanOrEqual(out.translations[0].tokens.length);
    expect(out.attention?.sourceTokens).toEqual(['a', 'b', 'c']);
    const [g] = await seq2seqTask.predict(model, ['abc'], { beam: 1 });
    expect((g.output as TranslationOutput).translations).toHaveLength(1);
    await expect(seq2seqTask.predict(model, ['abc'], { beam: 2, nBest: 3 })).rejects.toThrow(
      /nBest 3 is more than the beam width 2/,
    );
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });

  it('word-level targets with targetTokens: words; an empty target is an error', async () => {
    const train = [
      { source: 'cat', target: 'K AE T' },
      { source: 'at', target: 'AE T' },
    ];
    const v = seq2seqTask.vocabularies!(train, { targetTokens: 'words' }) as {
      target: { tokens: string[] };
    };
    expect(JSON.stringify(v.target)).toMatch(/"AE"/);
    expect(() => seq2seqTask.vocabularies!([{ source: 'x', target: ' ' }], {})).toThrow(
      /empty target/,
    );
  });

  it('fitTask trains it: the loss falls on the reverse task', async () => {
    const splits = await seq2seqDatasets.reverse.load({ size: 96, seed: 1 });
    const model = await build(splits.train);
    const r = await fitTask(
      model,
      seq2seqTask,
      { ...splits, validation: splits.validation!.slice(0, 8) },
      {
        epochs: 2,
        batchSize: 32,
        lr: 0.01,
      },
    );
    expect(r.steps).toBe(6);
    expect(r.history[1].loss).toBeLessThan(r.history[0].loss);
    expect(r.validation).toHaveProperty('wer');
    model.dispose();
  });
});
