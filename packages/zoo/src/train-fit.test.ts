import { useBackend } from '@seqzoo/backend';
import { expectNoLeaks } from '@seqzoo/backend/testing';
import { Dataset } from '@seqzoo/data';
import { adam, type Optimizer } from '@seqzoo/optimizers';
import { fit } from '@seqzoo/train';
import { beforeAll, describe, expect, it } from 'vitest';
import { BowClassifier } from './bow/bow-classifier';
import { RecurrentLM } from './lm/recurrent-lm';
import { Mlp } from './mlp/mlp';
import { RnnClassifier } from './rnn/rnn-classifier';
import { toySpamHam } from './testing/toy-texts';
import type { TextBatch } from './text/labels';

const data = toySpamHam(96, 1);
const test = toySpamHam(60, 2);
const textBatches = (size: number): TextBatch[] => {
  const out: TextBatch[] = [];
  for (let i = 0; i < data.texts.length; i += size) {
    out.push({ texts: data.texts.slice(i, i + size), labels: data.labels.slice(i, i + size) });
  }
  return out;
};
const optimizerFor = (m: { namedParameters(): Map<string, unknown> }, lr: number) =>
  adam(m.namedParameters() as never, { lr }) as unknown as Optimizer;

describe("@seqzoo/train's fit() drives the zoo models through loss(batch)", () => {
  beforeAll(async () => {
    await useBackend('cpu');
  });

  it('mlp, bow-classifier and rnn-classifier learn', async () => {
    const mlp = new Mlp({ inputSize: 2, hiddenSizes: [8], activation: 'tanh', seed: 1 });
    const xor = {
      x: [
        [0, 0],
        [0, 1],
        [1, 0],
        [1, 1],
      ],
      y: [0, 1, 1, 0],
    };
    const r = await fit(mlp, Dataset.from([xor]), {
      optimizer: optimizerFor(mlp, 0.05),
      epochs: 300,
    });
    expect(r.losses[r.losses.length - 1]).toBeLessThan(0.1);
    expect(mlp.predict(xor.x)).toEqual(xor.y);

    const bow = new BowClassifier().prepare(data.texts, data.labels);
    await fit(bow, Dataset.from(textBatches(16)), {
      optimizer: optimizerFor(bow, 0.05),
      epochs: 5,
    });
    expect(bow.evaluate(test.texts, test.labels).accuracy).toBeGreaterThan(0.85);

    const rnn = new RnnClassifier({ embeddingSize: 8, hiddenSize: 8, pooling: 'mean', seed: 1 });
    rnn.prepare(data.texts, data.labels);
    const h = await fit(rnn, Dataset.from(textBatches(16)), {
      optimizer: optimizerFor(rnn, 0.03),
      epochs: 4,
      clipGradNorm: 5,
    });
    expect(h.losses[h.losses.length - 1]).toBeLessThan(h.losses[0]);
    expect(rnn.evaluate(test.texts, test.labels).accuracy).toBeGreaterThan(0.8);
    for (const m of [mlp, bow, rnn]) m.dispose();
  });

  it('char-lm trains on BPTT windows with the state carried between loss() calls, no leaks', async () => {
    const names = ['anna', 'hannah', 'ann', 'nan', 'hana', 'anah', 'noah', 'jonah', 'joan'];
    const lm = new RecurrentLM({ embeddingSize: 8, hiddenSize: 16, bptt: 4, seed: 1 });
    const windows = lm.windows(names, { batchSize: 4 });
    expect(windows[0].first).toBe(true);
    expect(windows.slice(1).every((w) => !w.first)).toBe(true);
    // consecutive windows continue each row of the stream
    expect(windows[1].input[0][0]).toBe(windows[0].target[0][3]);
    const before = lm.evaluate(names).perplexity;
    const optimizer = optimizerFor(lm, 0.02);
    await expectNoLeaks(async () => {
      await fit(lm, Dataset.from(windows), { optimizer, epochs: 20, clipGradNorm: 1 });
      lm.resetState();
      optimizer.dispose(); // its Adam buffers were made by the first step
    });
    expect(lm.evaluate(names).perplexity).toBeLessThan(before * 0.8);
    lm.dispose();
  });
});
