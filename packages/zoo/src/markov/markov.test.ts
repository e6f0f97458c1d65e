import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ZooConfigError, ZooFormatError } from '../errors';
import { MarkovModel } from './markov';

interface GoldenCase {
  smoothing: 'kneser-ney' | 'add-k';
  order: number;
  discount?: number;
  addK?: number;
  rows: { context: string[]; probs: Record<string, number> }[];
}
const goldens = JSON.parse(
  readFileSync(new URL('../../goldens/markov.json', import.meta.url), 'utf8'),
) as { corpus: string[]; cases: GoldenCase[] };

const NAMES = ['anna', 'hannah', 'ann', 'nan', 'hana', 'anah', 'noah', 'jonah', 'joan'];

describe('MarkovModel', () => {
  it('matches the Python reference (goldens/make-goldens.py) for every context', () => {
    for (const c of goldens.cases) {
      const model = MarkovModel.fit(goldens.corpus, {
        order: c.order,
        smoothing: c.smoothing,
        discount: c.discount,
        addK: c.addK,
      });
      for (const row of c.rows) {
        const p = model.distribution(row.context.filter((t) => t !== '<s>'));
        for (const [token, expected] of Object.entries(row.probs)) {
          const i = model.vocab.indexOf(token);
          expect(i, token).toBeGreaterThanOrEqual(0);
          expect(p[i], `${c.smoothing} order ${c.order} P(${token} | ${row.context})`).toBeCloseTo(
            expected,
            12,
          );
        }
      }
    }
  });

  it('matches Kneser–Ney computed by hand on a two-word corpus', () => {
    // Corpus "ab", "b", order 1, D = 0.5. V = {a, b, </s>, <unk>}.
    // Continuation counts: a ← {<s>}, b ← {a, <s>}, </s> ← {b}: total 4, 3 types.
    // P1(a) = 0.5/4 + 0.5·3/4·1/4 = 0.21875, P1(b) = 1.5/4 + 0.09375 = 0.46875.
    // P(b | a) = 0.5/1 + 0.5·1/1·P1(b) = 0.734375; P(a | <s>) = 0.5/2 + 0.5·2/2·P1(a) = 0.359375.
    const m = MarkovModel.fit(['ab', 'b'], { order: 1, discount: 0.5 });
    expect(m.prob('b', 'a')).toBeCloseTo(0.734375, 12);
    expect(m.prob('a', '')).toBeCloseTo(0.359375, 12);
    // An unseen context backs off to the unigram continuation distribution.
    expect(m.prob('a', 'zzz')).toBeCloseTo(0.21875, 12);
    expect(m.prob('<unk>', 'zzz')).toBeCloseTo(0.09375, 12);
  });

  it('sums to 1 over the vocabulary for every context, both smoothings, chars and words', () => {
    for (const smoothing of ['kneser-ney', 'add-k'] as const) {
      for (const order of [0, 1, 2, 3]) {
        const m = MarkovModel.fit(NAMES, { order, smoothing, addK: 0.1 });
        const symbols = [...m.vocab.filter((t) => t !== '</s>'), 'q'];
        const contexts: string[][] = [[]];
        for (const a of symbols) {
          contexts.push([a]);
          for (const b of symbols) contexts.push([a, b], [b, a, 'n']);
        }
        for (const ctx of contexts) {
          const p = m.distribution(ctx);
          const total = p.reduce((s, x) => s + x, 0);
          expect(Math.abs(total - 1), `${smoothing}/${order} ${ctx}`).toBeLessThan(1e-12);
          expect(Math.min(...p)).toBeGreaterThan(0);
        }
      }
    }
    const words = MarkovModel.fit(['the cat sat', 'the dog sat down', 'a cat'], {
      unit: 'word',
      order: 2,
    });
    for (const ctx of [[], ['the'], ['the', 'cat'], ['dog', 'zebra']]) {
      expect(words.distribution(ctx).reduce((s, x) => s + x, 0)).toBeCloseTo(1, 12);
    }
    expect(words.predictNext('the cat', 1)[0].token).toBe('sat');
  });

  it('Kneser–Ney beats add-k, and higher orders fit training data better', () => {
    const kn = MarkovModel.fit(NAMES, { order: 2 }).perplexity(NAMES).perplexity;
    const add1 = MarkovModel.fit(NAMES, { order: 2, smoothing: 'add-k' }).perplexity(NAMES);
    expect(kn).toBeLessThan(add1.perplexity);
    const p1 = MarkovModel.fit(NAMES, { order: 1 }).perplexity(NAMES).perplexity;
    expect(kn).toBeLessThan(p1);
    // perplexity = exp(mean NLL) over tokens plus one </s> per sequence
    const tokens = NAMES.reduce((n, s) => n + s.length + 1, 0);
    expect(add1.tokens).toBe(tokens);
    expect(add1.bitsPerToken).toBeCloseTo(Math.log2(add1.perplexity), 12);
  });

  it('predicts the next token', () => {
    const m = MarkovModel.fit(['abcabcabc', 'abc'], { order: 2 });
    const next = m.predictNext('ab', 3);
    expect(next[0].token).toBe('c');
    expect(next[0].prob).toBeGreaterThan(next[1].prob);
    expect(m.predictNext('abc', 1)[0].token).toBe('a');
  });

  it('samples reproducibly with a seed; temperature 0 is greedy; low temperature sharpens', () => {
    const m = MarkovModel.fit(NAMES, { order: 2 });
    const a = Array.from({ length: 10 }, (_, i) => m.sample({ seed: i }));
    const b = Array.from({ length: 10 }, (_, i) => m.sample({ seed: i }));
    expect(a).toEqual(b);
    expect(new Set(a).size).toBeGreaterThan(3);
    const greedy = m.sample({ seed: 1, temperature: 0, prompt: 'jo' });
    expect(greedy).toBe(m.sample({ seed: 2, temperature: 0, prompt: 'jo' }));
    expect(greedy.startsWith('jo')).toBe(true);
    // At T = 0.2 samples are far more likely under the model than at T = 2.
    const meanLogProb = (t: number) => {
      let total = 0;
      for (let s = 0; s < 40; s++) {
        const lp = m.tokenLogProbs(m.sample({ seed: s, temperature: t, maxLength: 20 }));
        total += lp.reduce((x, y) => x + y, 0) / lp.length;
      }
      return total / 40;
    };
    expect(meanLogProb(0.2)).toBeGreaterThan(meanLogProb(2));
    expect(a.every((s) => !s.includes('<unk>'))).toBe(true);
  });

  it('round-trips through JSON with identical probabilities', () => {
    for (const smoothing of ['kneser-ney', 'add-k'] as const) {
      const m = MarkovModel.fit(NAMES, { order: 3, smoothing });
      const back = MarkovModel.fromJSON(JSON.parse(JSON.stringify(m.toJSON())));
      expect(back.vocab).toEqual(m.vocab);
      for (const ctx of ['', 'a', 'an', 'han', 'xyz']) {
        expect(Array.from(back.distribution(ctx))).toEqual(Array.from(m.distribution(ctx)));
      }
      expect(back.sample({ seed: 7 })).toBe(m.sample({ seed: 7 }));
    }
    expect(() => MarkovModel.fromJSON({ format: 'nope' } as never)).toThrow(ZooFormatError);
  });

  it('maps rare and unseen tokens to <unk> and rejects bad options', () => {
    const m = MarkovModel.fit(['a b c', 'a b d'], { unit: 'word', order: 1, minCount: 2 });
    expect(m.vocab).toEqual(['</s>', '<unk>', 'a', 'b']);
    expect(m.prob('zzz', 'b')).toBe(m.prob('<unk>', 'b'));
    expect(() => MarkovModel.fit(['a'], { order: -1 })).toThrow(ZooConfigError);
    expect(() => MarkovModel.fit(['a'], { discount: 1.5 })).toThrow(/discount/);
    expect(() => MarkovModel.fit(['a'], { smoothing: 'witten-bell' as never })).toThrow(
      /smoothing/,
    );
    expect(() => MarkovModel.fit([], {})).toThrow(/no training sequences/);
    expect(() => m.sample({ temperature: -1 })).toThrow(/temperature/);
  });
});
