import { useBackend } from '@seqzoo/backend';
import { charTokenizer, reverseTask, Vocab } from '@seqzoo/data';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { disposeTensors, Seq2Seq, type Seq2SeqConfig } from './model';
import { beamSearch, greedyDecode, lengthPenalty } from './search';

// A tiny attention model trained for 250 small steps on the reverse task (wasm,
// where training is fastest), shared by the tests below.
const tokenizer = charTokenizer();
const vocab = Vocab.fromTokens('0123456789');
const encode = (s: string) => vocab.encode(tokenizer.tokenize(s));
let model: Seq2Seq;
let config: Seq2SeqConfig;
let sources: number[][];
let targets: number[][];

beforeAll(async () => {
  await useBackend('wasm');
  const train = await reverseTask({ size: 4000, seed: 1, minLength: 2, maxLength: 7 }).toArray();
  const test = await reverseTask({ size: 200, seed: 2, minLength: 2, maxLength: 7 }).toArray();
  sources = test.map((p) => encode(p.source));
  targets = test.map((p) => encode(p.target));
  config = {
    sourceVocabSize: vocab.size,
    targetVocabSize: vocab.size,
    embeddingSize: 16,
    hiddenSize: 32,
    attention: 'general',
    dropout: 0,
    seed: 7,
  };
  model = new Seq2Seq(config);
  const optimizer = tf.train.adam(0.02);
  for (let step = 0; step < 250; step++) {
    const items = train.slice((step * 32) % 3968, ((step * 32) % 3968) + 32);
    const batch = model.tensors(
      items.map((p) => encode(p.source)),
      items.map((p) => encode(p.target)),
    );
    optimizer.minimize(() => model.loss(batch), false, model.parameters());
    disposeTensors(batch);
  }
  optimizer.dispose();
}, 120_000);

afterAll(() => model.dispose());

const exact = (a: number[], b: number[]) => a.length === b.length && a.every((x, i) => x === b[i]);

describe('greedy and beam search on a trained model', () => {
  it('greedy decoding has learned the task', () => {
    const out = greedyDecode(model, sources);
    const correct = out.filter((h, i) => exact(h.tokens, targets[i])).length;
    expect(correct / sources.length).toBeGreaterThan(0.9);
    for (const h of out) {
      expect(h.tokens).not.toContain(vocab.eosId);
      expect(h.score).toBe(h.logProb);
      expect(h.logProb).toBeLessThan(0);
    }
  });

  it('beam search scores at least the greedy score (α = 0) and is at least as accurate', () => {
    const greedy = greedyDecode(model, sources);
    const beam = beamSearch(model, sources, { beamWidth: 5 });
    let atLeast = 0;
    let beamCorrect = 0;
    let greedyCorrect = 0;
    beam.forEach(([best], i) => {
      if (best.logProb >= greedy[i].logProb - 1e-4) atLeast++;
      if (exact(best.tokens, targets[i])) beamCorrect++;
      if (exact(greedy[i].tokens, targets[i])) greedyCorrect++;
    });
    expect(atLeast / sources.length).toBeGreaterThanOrEqual(0.99);
    expect(beamCorrect).toBeGreaterThanOrEqual(greedyCorrect);
  });

  it('beam width 1 is greedy decoding', () => {
    const greedy = greedyDecode(model, sources);
    const beam = beamSearch(model, sources, { beamWidth: 1 });
    beam.forEach(([h], i) => {
      expect(h.tokens).toEqual(greedy[i].tokens);
      expect(h.ended).toBe(greedy[i].ended);
      expect(Math.abs(h.logProb - greedy[i].logProb)).toBeLessThan(1e-4);
    });
  });

  it('n-best lists are sorted, distinct, scored with the GNMT length penalty', () => {
    const alpha = 0.8;
    const beam = beamSearch(model, sources.slice(0, 40), {
      beamWidth: 4,
      nBest: 4,
      lengthPenalty: alpha,
    });
    for (const list of beam) {
      expect(list.length).toBe(4);
      const keys = new Set(list.map((h) => h.tokens.join()));
      expect(keys.size).toBe(4);
      for (let i = 1; i < list.length; i++)
        expect(list[i - 1].score).toBeGreaterThanOrEqual(list[i].score);
      for (const h of list) {
        const length = h.tokens.length + (h.ended ? 1 : 0);
        expect(h.score).toBeCloseTo(h.logProb / lengthPenalty(length, alpha), 5);
      }
    }
    expect(lengthPenalty(1, 0.6)).toBe(1);
    expect(lengthPenalty(7, 1)).toBe(2);
  });

  it('stops at <eos>, or cuts at ratio · source length + offset', () => {
    const beam = beamSearch(model, sources, { beamWidth: 3, nBest: 3 });
    for (const list of beam) for (const h of list) expect(h.tokens).not.toContain(vocab.eosId);
    const long = sources.findIndex((s) => s.length >= 5);
    const cut = greedyDecode(model, [sources[long]], { maxLengthRatio: 0, maxLengthOffset: 2 })[0];
    expect(cut.tokens).toEqual(targets[long].slice(0, 2));
    expect(cut.ended).toBe(false);
    const [beamCut] = beamSearch(model, [sources[long]], {
      beamWidth: 3,
      maxLengthRatio: 0.5,
      maxLengthOffset: 0,
    })[0];
    expect(beamCut.tokens.length).toBeLessThanOrEqual(Math.floor(sources[long].length * 0.5));
    expect(beamCut.ended).toBe(false);
  });

  it('returns one attention row per output token, over the source, summing to 1', () => {
    const [h] = beamSearch(model, [sources[0], sources[1]], { beamWidth: 3 })[1];
    const g = greedyDecode(model, [sources[1]])[0];
    for (const hyp of [h, g]) {
      expect(hyp.attention).toHaveLength(hyp.tokens.length);
      for (const row of hyp.attention!) {
        expect(row).toHaveLength(sources[1].length);
        expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 4);
      }
    }
    // Reversal: output token t mostly attends to source position n-1-t.
    const n = sources[1].length;
    const peaks = g.attention!.map((row) => row.indexOf(Math.max(...row)));
    const diagonal = peaks.filter((p, t) => p === n - 1 - t).length;
    expect(diagonal).toBeGreaterThanOrEqual(Math.ceil(n / 2));
  });

  it('leaks no tensors over 1,000 decodes', () => {
    const before = tf.memory().numTensors;
    for (let i = 0; i < 50; i++) {
      greedyDecode(model, sources.slice(i * 4, i * 4 + 10));
      beamSearch(model, sources.slice(i * 4, i * 4 + 10), { beamWidth: 3, nBest: 2 });
      expect(tf.memory().numTensors).toBe(before);
    }
  });

  it('a state dict saved on wasm decodes identically on cpu', async () => {
    const saved = new Map<string, { shape: number[]; values: Float32Array }>();
    for (const [name, t] of model.stateDict()) {
      saved.set(name, { shape: t.shape, values: (await t.data()) as Float32Array });
    }
    const inputs = sources.slice(0, 30);
    const wasmGreedy = greedyDecode(model, inputs);
    const wasmBeam = beamSearch(model, inputs, { beamWidth: 4, nBest: 2 });
    await useBackend('cpu');
    try {
      const copy = new Seq2Seq({ ...config, seed: 99 });
      const state = new Map([...saved].map(([k, v]) => [k, tf.tensor(v.values, v.shape)]));
      copy.loadStateDict(state);
      tf.dispose([...state.values()]);
      const cpuGreedy = greedyDecode(copy, inputs);
      const cpuBeam = beamSearch(copy, inputs, { beamWidth: 4, nBest: 2 });
      cpuGreedy.forEach((h, i) => {
        expect(h.tokens).toEqual(wasmGreedy[i].tokens);
        expect(Math.abs(h.logProb - wasmGreedy[i].logProb)).toBeLessThan(1e-4);
      });
      cpuBeam.forEach((list, i) => {
        expect(list.map((h) => h.tokens)).toEqual(wasmBeam[i].map((h) => h.tokens));
        list.forEach((h, j) => {
          expect(Math.abs(h.score - wasmBeam[i][j].score)).toBeLessThan(1e-4);
        });
      });
      copy.dispose();
    } finally {
      await useBackend('wasm');
    }
  });

  it('rejects bad decoding options', () => {
    expect(() => beamSearch(model, sources.slice(0, 1), { beamWidth: 0 })).toThrow(/beamWidth/);
    expect(() => beamSearch(model, sources.slice(0, 1), { beamWidth: 2, nBest: 3 })).toThrow(
      /nBest \(3\) cannot exceed beamWidth \(2\)/,
    );
    expect(() => greedyDecode(model, sources.slice(0, 1), { maxLengthRatio: -1 })).toThrow(/≥ 0/);
  });
});

describe('decoding every architecture', () => {
  const variants: Partial<Seq2SeqConfig>[] = [
    { cell: 'gru', attention: 'none' },
    { cell: 'lstm', attention: 'dot', numLayers: 2 },
    { cell: 'gru', attention: 'bahdanau', inputFeeding: false, bidirectional: false },
    { cell: 'lstm', attention: 'concat', numLayers: 2, bidirectional: false },
  ];
  for (const v of variants) {
    it(`${JSON.stringify(v)}: greedy = beam 1, sorted n-best lists without <pad>/<bos>, attention ${v.attention === 'none' ? 'null' : 'rows'}`, () => {
      const m = new Seq2Seq({
        sourceVocabSize: 14,
        targetVocabSize: 14,
        embeddingSize: 8,
        hiddenSize: 8,
        seed: 11,
        ...v,
      });
      const inputs = [[4, 5, 6], [7], [8, 9, 10, 11, 12]];
      const before = tf.memory().numTensors;
      const greedy = greedyDecode(m, inputs, { maxLengthOffset: 4 });
      const one = beamSearch(m, inputs, { beamWidth: 1, maxLengthOffset: 4 });
      const three = beamSearch(m, inputs, { beamWidth: 3, nBest: 3, maxLengthOffset: 4 });
      expect(tf.memory().numTensors).toBe(before);
      greedy.forEach((h, i) => {
        expect(one[i][0].tokens).toEqual(h.tokens);
        expect(Math.abs(one[i][0].logProb - h.logProb)).toBeLessThan(1e-4);
        expect(three[i].length).toBeGreaterThan(0);
        for (let j = 1; j < three[i].length; j++) {
          expect(three[i][j - 1].score).toBeGreaterThanOrEqual(three[i][j].score);
        }
        for (const hyp of [h, ...three[i]]) {
          expect(hyp.tokens).not.toContain(0); // <pad>
          expect(hyp.tokens).not.toContain(2); // <bos>
          expect(hyp.tokens.length).toBeLessThanOrEqual(2 * inputs[i].length + 4);
        }
        if (v.attention === 'none') expect(h.attention).toBeNull();
        else expect(h.attention).toHaveLength(h.tokens.length);
      });
      m.dispose();
    });
  }
});
