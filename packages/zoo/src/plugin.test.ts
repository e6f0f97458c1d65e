import { describe, expect, it } from 'vitest';
import { registry } from './testing/round-trip';

describe('zoo plugin', () => {
  it('registers the six models with descriptions and config defaults', () => {
    expect(registry.list().map((m) => m.id)).toEqual([
      'zoo:bow-classifier',
      'zoo:char-lm',
      'zoo:markov',
      'zoo:mlp',
      'zoo:rnn-classifier',
      'zoo:word-lm',
    ]);
    for (const { id } of registry.list())
      expect(registry.describe(id).description.length).toBeGreaterThan(20);
    expect(registry.describe('zoo:char-lm').defaults).toMatchObject({
      cell: 'lstm',
      text: { unit: 'char' },
    });
    expect(registry.describe('zoo:word-lm').defaults).toMatchObject({ text: { unit: 'word' } });
    expect(registry.describe('zoo:markov').defaults).toMatchObject({
      order: 2,
      smoothing: 'kneser-ney',
    });
  });

  it('names a bad field in a config', async () => {
    // @ts-expect-error: the typed registry rejects the bad value at compile time as well
    await expect(registry.create('zoo:rnn-classifier', { pooling: 'median' })).rejects.toThrow(
      /pooling/,
    );
    // @ts-expect-error: and the misspelt field
    await expect(registry.create('zoo:char-lm', { hiden: 3 })).rejects.toThrow(/hiden/);
  });
});
