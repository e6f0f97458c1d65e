// What eval-g2p.ts needs: CMUdict's splits, WER/PER against every pronunciation of a word,
// and beam search's length penalty chosen on validation words.
import { type CmudictEntry, loadCmudict, Vocab } from '@seqzoo/data';
import { createRegistry } from '@seqzoo/registry';
import { editDistance } from '@seqzoo/train';
import { seq2seqPlugin, type TranslateOptions, type Translator } from '../src/index';

// A few CMUdict lines carry a comment after '#' ("AE L AH N # place, german"); drop it.
const clean = (e: CmudictEntry): CmudictEntry => {
  const cut = e.phonemes.indexOf('#');
  return cut < 0 ? e : { word: e.word, phonemes: e.phonemes.slice(0, cut) };
};

/** CMUdict's splits; `stress` keeps the vowels' stress digits (AH0, IY1), which a TTS front end needs. */
export async function loadG2PData(stress = false) {
  const [train, validation, test] = await Promise.all(
    (['train', 'validation', 'test'] as const).map(async (split) =>
      (await loadCmudict({ split, stress })).map(clean),
    ),
  );
  // Words made of letters and the few marks CMUdict has (apostrophe, hyphen, period).
  const letters = Vocab.fromTokens(train.flatMap((e) => [...e.word]).sort());
  const phonemes = Vocab.fromTokens(train.flatMap((e) => e.phonemes).sort());
  return { train, validation, test, letters, phonemes };
}

export const registry = createRegistry({ plugins: [seq2seqPlugin] });

/** Words with all their pronunciations, in the split's order. */
export type WordList = [string, string[][]][];

export function byWord(entries: readonly CmudictEntry[]): WordList {
  const map = new Map<string, string[][]>();
  for (const e of entries) map.set(e.word, [...(map.get(e.word) ?? []), e.phonemes]);
  return [...map];
}

/**
 * Every third validation word (≈ 2,000, all of the alphabet): what picks the averaged or the
 * last parameters after training, and the length penalty.
 */
export const selectionWords = (validation: readonly CmudictEntry[]): WordList =>
  byWord(validation).filter((_, i) => i % 3 === 0);

/**
 * WER and PER against every pronunciation of each word: a word is wrong when the prediction
 * matches none; PER is the edit distance to the closest over that pronunciation's length.
 */
export function evaluateG2P(t: Translator, words: WordList, options: TranslateOptions) {
  let wrongWords = 0;
  let edits = 0;
  let length = 0;
  for (let i = 0; i < words.length; i += 200) {
    const part = words.slice(i, i + 200);
    const out = t.translate(
      part.map(([w]) => w),
      options,
    );
    out.forEach(([best], j) => {
      const refs = part[j][1];
      let bestEdits = Number.POSITIVE_INFINITY;
      let bestLength = refs[0].length;
      for (const ref of refs) {
        const d = editDistance(ref, best.outputTokens);
        if (d < bestEdits) [bestEdits, bestLength] = [d, ref.length];
      }
      if (bestEdits > 0) wrongWords++;
      edits += bestEdits;
      length += bestLength;
    });
  }
  return { wer: wrongWords / words.length, per: edits / length };
}

/** A rate as the logs print it: `27.61%`. */
export const percent = (x: number) => `${(100 * x).toFixed(2)}%`;

/** Whether result `a` beats `b`: lower WER, then lower PER. */
export const better = (a: { wer: number; per: number }, b: { wer: number; per: number }) =>
  a.wer < b.wer || (a.wer === b.wer && a.per < b.per);

/**
 * Beam 5's GNMT length penalty: `auto` tries 0, 0.5 and 1 on `words` (validation words, never
 * the test split) and returns the one with the lowest WER (then PER); a number is taken as is.
 */
export function chooseAlpha(t: Translator, words: WordList, alpha: string): number {
  if (alpha !== 'auto') return Number(alpha);
  const tried = [0, 0.5, 1].map((a) => ({
    a,
    ...evaluateG2P(t, words, { method: 'beam', beamWidth: 5, lengthPenalty: a }),
  }));
  const best = tried.reduce((x, y) => (better(y, x) ? y : x));
  console.log(
    `validation (${words.length} words, beam 5): ${tried.map((r) => `α ${r.a} WER ${percent(r.wer)}`).join(', ')} → α ${best.a}`,
  );
  return best.a;
}
