import { useBackend } from '@seqzoo/backend';
import { createRegistry, type TextPair } from '@seqzoo/registry';
import { fitTask } from '@seqzoo/train';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { type Seq2SeqModel, seq2seqPlugin } from './plugin';
import { seq2seqDatasets, seq2seqTask } from './task';

beforeAll(async () => {
  await useBackend('cpu');
});

const registry = createRegistry({ plugins: [seq2seqPlugin] });

async function train(pairs: readonly TextPair[], workers: number) {
  const config = { embeddingSize: 8, hiddenSize: 16, dropout: 0, seed: 5 };
  const vocabularies = seq2seqTask.vocabularies!(pairs, config);
  const model = await registry.create<Seq2SeqModel>('seq2seq:attention', config, {
    vocabularies,
  });
  const r = await fitTask(
    model,
    seq2seqTask,
    { train: pairs },
    { workers, maxSteps: 20, batchSize: 8, validationSplit: 0, averageDecay: 0 },
  );
  model.dispose();
  return r.losses;
}

describe('seq2seq:attention trains data-parallel', () => {
  it('split: parts of about equal target tokens that keep every pair, in order', () => {
    const batch = {
      sources: [[1], [2], [3], [4], [5], [6], [7]],
      targets: [[1], [1, 1], [1, 1, 1], [1], [1, 1, 1, 1, 1, 1], [1], [1]],
    };
    const parts = seq2seqTask.split!(batch, 3);
    expect(parts).toHaveLength(3);
    expect(parts.flatMap((p) => p.sources)).toEqual(batch.sources);
    expect(parts.flatMap((p) => p.targets)).toEqual(batch.targets);
    const sizes = parts.map((p) => seq2seqTask.size!(p));
    expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(7);
    // More parts than pairs: one pair each.
    expect(seq2seqTask.split!({ sources: [[1], [2]], targets: [[1], [2]] }, 4)).toHaveLength(2);
  });

  it('with dropout 0, 2 workers follow the 1-worker loss trajectory within 1e-5 over 20 steps', async () => {
    const { train: pairs } = await seq2seqDatasets.dates.load({ size: 320, seed: 2 });
    const one = await train(pairs, 1);
    const before = tf.memory().numTensors;
    const two = await train(pairs, 2);
    expect(tf.memory().numTensors).toBe(before);
    expect(one).toHaveLength(20);
    expect(two).toHaveLength(20);
    expect(one[19]).toBeLessThan(one[0]);
    const gap = Math.max(...two.map((l, i) => Math.abs(l - one[i])));
    expect(gap).toBeLessThan(1e-5);
  }, 240_000);
});
