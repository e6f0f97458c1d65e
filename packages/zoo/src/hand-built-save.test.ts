import { useBackend } from '@seqzoo/backend';
import { createRegistry, saveModel } from '@seqzoo/registry';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { BowClassifier } from './bow/bow-classifier';
import { RecurrentLM } from './lm/recurrent-lm';
import { MarkovLM } from './markov/markov-lm';
import { zooPlugin } from './plugin';
import { RnnClassifier } from './rnn/rnn-classifier';
import { registry, saveAndLoad } from './testing/round-trip';

const texts = ['win money now', 'free prize cash', 'see you at lunch', 'meeting on monday'];
const labels = ['spam', 'spam', 'ham', 'ham'];

beforeAll(async () => {
  await useBackend('cpu');
});

describe('zoo models built with new (as the README shows) save and load through the registry', () => {
  it('new RnnClassifier(...), trained with its own fit: saved, loaded, the same probabilities', async () => {
    const rnn = new RnnClassifier({ cell: 'gru', hiddenSize: 8, embeddingSize: 8, seed: 4 });
    await rnn.fit(texts, labels, { epochs: 2, lr: 0.05 });
    expect(registry.recordOf(rnn)?.id).toBe('zoo:rnn-classifier');
    const loaded = await saveAndLoad<RnnClassifier>(rnn, 'cpu');
    expect(loaded.config).toEqual(rnn.config);
    const probe = ['free money', 'lunch on monday'];
    const [a, b] = [rnn.predictProba(probe), loaded.predictProba(probe)];
    expect(await b.array()).toEqual(await a.array());
    tf.dispose([a, b]);
    loaded.dispose();
    rnn.dispose();
  });

  it('each zoo class is claimed by its own definition (char-lm and word-lm apart)', async () => {
    const models = [
      [new BowClassifier({ features: { minDf: 1 } }), 'zoo:bow-classifier'],
      [new RecurrentLM({ hiddenSize: 8, embeddingSize: 8 }, undefined, 'char'), 'zoo:char-lm'],
      [new RecurrentLM({ hiddenSize: 8, embeddingSize: 8 }, undefined, 'word'), 'zoo:word-lm'],
      [new MarkovLM({ order: 2 }), 'zoo:markov'],
    ] as const;
    for (const [model, id] of models) expect(registry.recordOf(model)?.id).toBe(id);
    for (const [model] of models) (model as { dispose?: () => void }).dispose?.();
  });

  it('a registry without the zoo plugin still refuses it, saying what to do', async () => {
    const rnn = new RnnClassifier({ hiddenSize: 8, embeddingSize: 8 });
    const empty = createRegistry({ plugins: [] });
    await expect(saveModel(empty, rnn, 'unused-dir')).rejects.toThrow(
      /no registered plugin recognises its class/,
    );
    rnn.dispose();
    expect(zooPlugin.models['rnn-classifier'].configOf?.(rnn)).toEqual(rnn.config);
  });
});
