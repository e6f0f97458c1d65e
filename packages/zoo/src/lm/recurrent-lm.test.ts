import { useBackend } from '@seqzoo/backend';
import { expectNoLeaks } from '@seqzoo/backend/testing';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { MarkovModel } from '../markov/markov';
import { registry, saveAndLoad } from '../testing/round-trip';
import { RecurrentLM } from './recurrent-lm';

const NAMES = ['anna', 'hannah', 'ann', 'nan', 'hana', 'anah', 'noah', 'jonah', 'joan'];
const tiny = { embeddingSize: 8, hiddenSize: 16, bptt: 8, seed: 1 };

describe('RecurrentLM', () => {
  beforeAll(async () => {
    await useBackend('cpu');
  });

  it('learns a tiny corpus: loss falls, perplexity beats a unigram model, greedy text is fluent', async () => {
    const lm = new RecurrentLM(tiny);
    const h = await lm.fit(NAMES, { epochs: 40, batchSize: 4, lr: 0.02 });
    expect(h.loss[h.loss.length - 1]).toBeLessThan(h.loss[0] * 0.7);
    const ppl = lm.evaluate(NAMES);
    // the same token count as the Markov model: every char and one </s> per name
    expect(ppl.tokens).toBe(NAMES.reduce((n, s) => n + s.length + 1, 0));
    expect(ppl.bitsPerToken).toBeCloseTo(Math.log2(ppl.perplexity), 10);
    const unigram = MarkovModel.fit(NAMES, { order: 0 }).perplexity(NAMES).perplexity;
    expect(ppl.perplexity).toBeLessThan(unigram);
    // Stream mode predicts the same tokens, reading the texts as one stream as in training.
    const stream = lm.evaluate(NAMES, { mode: 'stream' });
    expect(stream.tokens).toBe(ppl.tokens);
    expect(stream.perplexity).toBeLessThan(unigram);
    // A one-text stream is the independent score of that text.
    expect(lm.evaluate(['hannah'], { mode: 'stream' }).perplexity).toBeCloseTo(
      lm.evaluate(['hannah']).perplexity,
      4,
    );
    expect(lm.generate({ temperature: 0, prompt: 'jo' })).toMatch(/^jo[a-z]*$/);
    lm.dispose();
  });

  it('carries the state across windows: two windows with the carried state = one long window', async () => {
    const lm = new RecurrentLM({ ...tiny, cell: 'gru', numLayers: 2 });
    await lm.fit(NAMES, { epochs: 1 });
    const ids = tf.tensor2d(
      [
        [3, 4, 5, 6, 4, 5],
        [5, 6, 4, 4, 3, 5],
      ],
      undefined,
      'int32',
    );
    const whole = lm.forward(ids);
    const first = lm.forward(tf.slice(ids, [0, 0], [2, 4]));
    const second = lm.forward(tf.slice(ids, [0, 4], [2, 2]), first.state);
    const expected = tf.slice(whole.logits, [0, 4, 0], [2, 2, -1]).arraySync() as number[][][];
    const got = second.logits.arraySync() as number[][][];
    expected.flat(2).forEach((x, i) => {
      expect(got.flat(2)[i]).toBeCloseTo(x, 5);
    });
    lm.dispose();
  });

  it('ties the embedding to the output layer on request', async () => {
    const lm = new RecurrentLM({ embeddingSize: 8, hiddenSize: 8, tieEmbeddings: true });
    await lm.fit(NAMES, { epochs: 1 });
    const names = [...lm.namedParameters().keys()];
    expect(names).toContain('outputBias');
    expect(names.some((n) => n.startsWith('decoder'))).toBe(false);
    expect(lm.evaluate(['anna']).perplexity).toBeGreaterThan(1);
    lm.dispose();
    expect(
      () => new RecurrentLM({ embeddingSize: 8, hiddenSize: 16, tieEmbeddings: true }),
    ).toThrow(/embeddingSize = hiddenSize/);
  });

  it('generates reproducibly; top-k 1 and tiny top-p are greedy; specials never appear', async () => {
    const lm = new RecurrentLM({ ...tiny, cell: 'rnn' });
    await lm.fit(NAMES, { epochs: 5, batchSize: 4 });
    const a = [0, 1, 2, 3].map((seed) => lm.generate({ seed, maxLength: 12 }));
    expect([0, 1, 2, 3].map((seed) => lm.generate({ seed, maxLength: 12 }))).toEqual(a);
    const greedy = lm.generate({ temperature: 0, prompt: 'ha', maxLength: 12 });
    expect(lm.generate({ topK: 1, seed: 5, prompt: 'ha', maxLength: 12 })).toBe(greedy);
    expect(lm.generate({ topP: 1e-6, seed: 6, prompt: 'ha', maxLength: 12 })).toBe(greedy);
    for (const s of a) expect(s).not.toMatch(/<(pad|unk|bos|eos)>/);
    expect(() => lm.generate({ topP: 0 })).toThrow(/topP/);
    lm.dispose();
  });

  it('word-lm works on words', async () => {
    const lm = await registry.create<RecurrentLM>('zoo:word-lm', { ...tiny }, { backend: 'cpu' });
    await lm.fit(['The cat sat', 'the dog sat', 'a cat ran'], { epochs: 3, batchSize: 2 });
    expect(lm.vocab.has('cat')).toBe(true);
    expect(lm.generate({ seed: 1, prompt: 'the', maxLength: 5 }).split(' ')[0]).toBe('the');
    lm.dispose();
  });

  it('saves on cpu and loads on wasm: same perplexity and the same greedy text', async () => {
    const lm = await registry.create<RecurrentLM>('zoo:char-lm', tiny, { backend: 'cpu' });
    await lm.fit(NAMES, { epochs: 5, batchSize: 4 });
    const ppl = lm.evaluate(NAMES).perplexity;
    const text = lm.generate({ temperature: 0, prompt: 'n', maxLength: 10 });
    const loaded = await saveAndLoad<RecurrentLM>(lm, 'wasm');
    expect(tf.getBackend()).toBe('wasm');
    expect(loaded.evaluate(NAMES).perplexity).toBeCloseTo(ppl, 4);
    expect(loaded.generate({ temperature: 0, prompt: 'n', maxLength: 10 })).toBe(text);
    expect(loaded.vocab.tokens).toEqual(lm.vocab.tokens);
    loaded.dispose();
    await useBackend('cpu');
    lm.dispose();
  });

  it('leaks no tensors over 500 BPTT steps, evaluation and generation', async () => {
    const lm = new RecurrentLM({ embeddingSize: 4, hiddenSize: 4, bptt: 4 });
    await lm.fit(NAMES, { epochs: 1 });
    await expectNoLeaks(async () => {
      const h = await lm.fit(NAMES, { epochs: 1000, batchSize: 4, maxSteps: 500 });
      expect(h.steps).toBe(500);
      lm.evaluate(NAMES);
      lm.generate({ seed: 1, maxLength: 10, topK: 3 });
    });
    lm.dispose();
  });
});

describe('RecurrentLM dropout', () => {
  it('drops in training only: eval outputs are deterministic, training outputs vary', async () => {
    await useBackend('cpu');
    const lm = new RecurrentLM({ ...tiny, dropout: 0.5 });
    await lm.fit(NAMES, { epochs: 1 });
    const ids = tf.tensor2d([[3, 4, 5]], undefined, 'int32');
    const run = () => {
      const { logits, state } = lm.forward(ids);
      tf.dispose(Object.values(state));
      const out = Array.from(logits.dataSync());
      logits.dispose();
      return out;
    };
    expect(run()).toEqual(run());
    lm.train(true);
    expect(run()).not.toEqual(run());
    lm.eval();
    ids.dispose();
    lm.dispose();
  });
});

describe('RecurrentLM on awkward text', () => {
  it('windows a 150 000-character line (no call-stack overflow) and evaluates it as a stream', async () => {
    await useBackend('cpu');
    const line = 'abcdefgh '.repeat(16700); // 150 300 characters, one text
    const lm = new RecurrentLM({ embeddingSize: 4, hiddenSize: 4, bptt: 32 });
    const windows = lm.windows([line], { batchSize: 32 });
    const tokens = line.length + 2; // <eos> before and after
    const width = Math.floor(tokens / 32);
    expect(windows).toHaveLength(Math.ceil((width - 1) / 32));
    expect(windows[0].input).toHaveLength(32);
    expect(
      windows[0].input[0]
        .slice(1, 10)
        .map((id) => lm.vocab.tokenOf(id))
        .join(''),
    ).toBe('abcdefgh ');
    await lm.fit([line], { epochs: 1, maxSteps: 2 });
    expect(lm.evaluate([line.slice(0, 5000)], { mode: 'stream' }).tokens).toBe(5001);
    lm.dispose();
  });

  it('a leading byte-order mark is not a token', async () => {
    await useBackend('cpu');
    const lm = new RecurrentLM({ embeddingSize: 4, hiddenSize: 4 });
    await lm.fit(['\uFEFFanna', 'hannah'], { epochs: 1 });
    expect(lm.vocab.has('\uFEFF')).toBe(false);
    expect(lm.encode('\uFEFFanna')).toEqual(lm.encode('anna'));
    lm.dispose();
  });
});
