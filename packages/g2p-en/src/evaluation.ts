// Word and phoneme error rates of the model on CMUdict's held-out words, with and without the
// stress digits: what scripts/evaluate.ts prints, scripts/pack-weights.ts records and
// shipped-model.test.ts reproduces. Not exported from the package.
import { loadCmudict as loadCmudictSplit } from '@seqzoo/data';
import { editDistance } from '@seqzoo/train';
import type { G2P } from './g2p';

/** Words with all their pronunciations, in the split's (alphabetical) order. */
export type WordList = [string, string[][]][];

export type CmudictSplitName = 'train' | 'validation' | 'test';

/** A split of CMUdict with stress, grouped by word (the split @seqzoo/data fixes by hash). */
export async function splitWords(split: CmudictSplitName): Promise<WordList> {
  const map = new Map<string, string[][]>();
  for (const e of await loadCmudictSplit({ split, stress: true })) {
    const cut = e.phonemes.indexOf('#');
    const phonemes = cut < 0 ? e.phonemes : e.phonemes.slice(0, cut);
    map.set(e.word, [...(map.get(e.word) ?? []), phonemes]);
  }
  return [...map];
}

/** `n` words spread evenly over the list (the fixed CI subset: every ⌊len/n⌋-th word or so). */
export function evenSubset(words: WordList, n: number): WordList {
  if (n >= words.length) return words;
  return Array.from({ length: n }, (_, i) => words[Math.floor((i * words.length) / n)]);
}

export interface Rates {
  /** Words whose prediction matches none of their pronunciations, over the words. */
  wer: number;
  /** Edits to the closest pronunciation over that pronunciation's length, summed over words. */
  per: number;
}

export interface ScoredRates {
  words: number;
  stress: Rates;
  noStress: Rates;
}

const unstressed = (p: readonly string[]) => p.map((x) => x.replace(/\d$/, ''));

/**
 * WER and PER of predictions against every pronunciation of each word (the convention of Bisani
 * & Ney 2008 and Yao & Zweig 2015 for CMUdict), with stress digits and without (digits removed
 * from both sides).
 */
export function score(words: WordList, predictions: readonly (readonly string[])[]): ScoredRates {
  const rates = (strip: boolean): Rates => {
    let wrong = 0;
    let edits = 0;
    let length = 0;
    words.forEach(([, refs], i) => {
      const hyp = strip ? unstressed(predictions[i]) : predictions[i];
      let best = Number.POSITIVE_INFINITY;
      let bestLength = refs[0].length;
      for (const r of refs) {
        const ref = strip ? unstressed(r) : r;
        const d = editDistance(ref, hyp);
        if (d < best) [best, bestLength] = [d, ref.length];
      }
      if (best > 0) wrong++;
      edits += best;
      length += bestLength;
    });
    return { wer: wrong / words.length, per: edits / length };
  };
  return { words: words.length, stress: rates(false), noStress: rates(true) };
}

export interface EvaluateOptions {
  decode: 'greedy' | 'beam';
  beamWidth?: number;
  lengthPenalty?: number;
}

/** The model's rates on `words` (the dictionary is not consulted: these words are in it). */
export function evaluate(g2p: G2P, words: WordList, options: EvaluateOptions): ScoredRates {
  const predictions = g2p
    .predict(
      words.map(([w]) => w),
      options,
    )
    .map((list) => list[0].phonemes);
  return score(words, predictions);
}

/** Rates rounded for JSON files (6 decimals: a word of 12,600 is 0.0000794). */
export function rounded(r: ScoredRates): ScoredRates {
  const f = (x: number) => Math.round(x * 1e6) / 1e6;
  return {
    words: r.words,
    stress: { wer: f(r.stress.wer), per: f(r.stress.per) },
    noStress: { wer: f(r.noStress.wer), per: f(r.noStress.per) },
  };
}

/** Size of the fixed test subset that CI reproduces (shipped-model.test.ts). */
export const SUBSET_SIZE = 500;

/** The fixed test subset: 500 words spread evenly over CMUdict's test split. */
export async function testSubset(): Promise<WordList> {
  return evenSubset(await splitWords('test'), SUBSET_SIZE);
}

/**
 * Every third validation word (≈ 2,200, all of the alphabet): what the length penalty and the
 * quantization are chosen on (never the test split).
 */
export async function validationSelection(): Promise<WordList> {
  return (await splitWords('validation')).filter((_, i) => i % 3 === 0);
}

export interface SubsetMetrics {
  words: number;
  beamWidth: number;
  lengthPenalty: number;
  greedy: ScoredRates;
  beam: ScoredRates;
}

/** The packed model's rates on the fixed test subset, greedy and beam 5 (recorded, then reproduced in CI). */
export async function subsetMetrics(g2p: G2P): Promise<SubsetMetrics> {
  const words = await testSubset();
  return {
    words: words.length,
    beamWidth: 5,
    lengthPenalty: g2p.info.model.lengthPenalty,
    greedy: rounded(evaluate(g2p, words, { decode: 'greedy' })),
    beam: rounded(evaluate(g2p, words, { decode: 'beam', beamWidth: 5 })),
  };
}
