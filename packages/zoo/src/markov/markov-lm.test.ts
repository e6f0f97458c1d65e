import { useBackend } from '@seqzoo/backend';
import { describe, expect, it } from 'vitest';
import { registry, saveAndLoad } from '../testing/round-trip';
import type { MarkovLM } from './markov-lm';

const NAMES = ['anna', 'hannah', 'ann', 'nan', 'hana', 'anah', 'noah', 'jonah', 'joan'];

describe('zoo:markov', () => {
  it('is built, fitted, saved and loaded by the registry with identical predictions', async () => {
    const model = await registry.create<MarkovLM>('zoo:markov', { order: 3 }, { backend: 'cpu' });
    expect(() => model.sample()).toThrow(/fit\(texts\) first/);
    model.fit(NAMES);
    const loaded = await saveAndLoad<MarkovLM>(model, 'wasm');
    expect(loaded.config).toEqual(model.config);
    expect(loaded.perplexity(['joanna']).perplexity).toBe(model.perplexity(['joanna']).perplexity);
    expect(loaded.predictNext('jo', 4)).toEqual(model.predictNext('jo', 4));
    for (let s = 0; s < 5; s++) expect(loaded.sample({ seed: s })).toBe(model.sample({ seed: s }));
    await useBackend('cpu');
  });

  it('rejects a bad config with the field named', async () => {
    await expect(registry.create('zoo:markov', { order: -2 })).rejects.toThrow(/order/);
  });
});
