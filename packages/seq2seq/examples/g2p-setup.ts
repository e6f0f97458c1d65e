// What train-g2p.ts and its gradient worker (g2p-worker.ts) share: the CMUdict splits and
// vocabularies, the model built from the command-line options, and one batch's loss gradient.
import { type CmudictEntry, charTokenizer, loadCmudict, pretokenized, Vocab } from '@seqzoo/data';
import { createRegistry } from '@seqzoo/registry';
import { editDistance } from '@seqzoo/train';
import * as tf from '@tensorflow/tfjs-core';
import {
  disposeTensors,
  type Seq2SeqModel,
  seq2seqPlugin,
  type TranslateOptions,
  type Translator,
  valueAndGrads,
} from '../src/index';

export interface G2POptions {
  backend: string;
  attention: string;
  cell: string;
  hidden: string;
  embedding: string;
  layers: string;
  dropout: string;
  seed: string;
  stress?: boolean;
}

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

export function createG2PModel(
  args: G2POptions,
  data: { letters: Vocab; phonemes: Vocab },
  seed = Number(args.seed),
): Promise<Seq2SeqModel> {
  return registry.create<Seq2SeqModel>(
    'seq2seq:attention',
    {
      cell: args.cell,
      embeddingSize: Number(args.embedding),
      hiddenSize: Number(args.hidden),
      numLayers: Number(args.layers),
      attention: args.attention,
      dropout: Number(args.dropout),
      seed,
    },
    {
      backend: args.backend as 'wasm',
      vocabularies: {
        source: data.letters.toJSON(),
        target: data.phonemes.toJSON(),
        sourceTokenizer: charTokenizer().toJSON(),
        targetTokenizer: pretokenized().toJSON(),
      },
    },
  );
}

/** Target tokens a batch's loss averages over (`<eos>` included). */
export const tokenCount = (items: readonly CmudictEntry[]) =>
  items.reduce((n, e) => n + e.phonemes.length + 1, 0);

/** The mean loss over `items` and its gradient per parameter (the caller disposes them). */
export function batchGradients(model: Seq2SeqModel, items: readonly CmudictEntry[]) {
  const t = model.translator;
  const batch = model.tensors(
    items.map((e) => t.encodeSource(e.word)),
    items.map((e) => t.encodeTarget(e.phonemes)),
  );
  try {
    return valueAndGrads(model, () => model.loss(batch));
  } finally {
    disposeTensors(batch);
  }
}

/**
 * One tensor per parameter (`of(path, variable)`; undefined: zeros), in `namedParameters()`
 * order, into one flat array: the parameters themselves, or their gradients.
 */
export function writeFlat(
  model: Seq2SeqModel,
  into: Float32Array,
  of: (path: string, v: tf.Variable) => tf.Tensor | undefined = (_, v) => v,
): void {
  let offset = 0;
  for (const [path, v] of model.namedParameters()) {
    const t = of(path, v);
    if (t) into.set(t.dataSync() as Float32Array, offset);
    else into.fill(0, offset, offset + v.size);
    offset += v.size;
  }
}

/** The inverse of `writeFlat` for the parameters. */
export function readParameters(model: Seq2SeqModel, from: Float32Array): void {
  let offset = 0;
  for (const v of model.namedParameters().values()) {
    tf.tidy(() => v.assign(tf.tensor(from.subarray(offset, offset + v.size), v.shape)));
    offset += v.size;
  }
}

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
