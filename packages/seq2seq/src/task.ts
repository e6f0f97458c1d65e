import {
  additionTask,
  charTokenizer,
  copyTask,
  dateTask,
  loadCmudict,
  mixSeed,
  numberWordsTask,
  pretokenized,
  Rng,
  reverseTask,
  type Seq2SeqPair,
  sortTask,
  type Tokenizer,
  Vocab,
} from '@seqzoo/data';
import type { DatasetSource, Prediction, Task, TextPair } from '@seqzoo/registry';
import { editDistance } from '@seqzoo/train';
import { Seq2SeqInputError } from './errors';
import { disposeTensors } from './model';
import type { Seq2SeqModel } from './plugin';
import type { Translation } from './translator';

/** A training batch of `seq2seq:attention`: source and target ids (no specials), plain arrays. */
export interface PairBatch {
  sources: number[][];
  targets: number[][];
}

/** What one prediction's `output` holds. */
export interface TranslationOutput {
  /** Best first: one with greedy decoding, `nBest` with beam search. */
  translations: { text: string; tokens: string[]; score: number; logProb: number }[];
  /** With `attention: true`: the best translation's weights, one row per output token. */
  attention?: { weights: number[][]; sourceTokens: string[]; outputTokens: string[] };
}

const tokenizerOf = (tokens: 'chars' | 'words'): Tokenizer =>
  tokens === 'words' ? pretokenized() : charTokenizer();

type Synthetic = (o: { size?: number; seed?: number }) => { toArray(): Promise<Seq2SeqPair[]> };

/**
 * A synthetic task as a dataset: `size` training pairs (default 10,000) drawn with `seed`, a
 * tenth of that (at least 100) for validation and 1,000 for test, each drawn with its own seed
 * (random draws: a pair may appear in two splits, as in the papers that use these tasks).
 */
function synthetic(description: string, make: Synthetic): DatasetSource<TextPair> {
  return {
    description,
    async load({ size, seed }) {
      const n = size ?? 10_000;
      const draw = (count: number, s: number) => make({ size: count, seed: s }).toArray();
      const [train, validation, test] = await Promise.all([
        draw(n, seed),
        draw(Math.max(100, Math.round(n / 10)), mixSeed(seed, 1)),
        draw(1000, mixSeed(seed, 2)),
      ]);
      return { train, validation, test };
    },
  };
}

/**
 * CMUdict for grapheme-to-phoneme conversion: the word's letters → its ARPAbet phonemes (space
 * separated), from @seqzoo/data's fixed train/validation/test split (a word's pronunciations stay
 * in one split; a comment after '#' on a few lines is dropped). Validation is every third word of
 * the validation split (≈ 2,000 words with all their pronunciations, as the G2P recipe selects
 * on); `size` keeps the first `size` training entries in a seeded order.
 */
function cmudictSource(stress: boolean): DatasetSource<TextPair> {
  const pairs = async (split: 'train' | 'validation' | 'test') =>
    (await loadCmudict({ split, stress })).map((e) => {
      const cut = e.phonemes.indexOf('#');
      const phonemes = cut < 0 ? e.phonemes : e.phonemes.slice(0, cut);
      return { source: e.word, target: phonemes.join(' ') };
    });
  return {
    description: stress
      ? 'CMUdict G2P: word letters → ARPAbet phonemes with stress digits (AH0, IY1); ≈ 110k train entries.'
      : 'CMUdict G2P: word letters → ARPAbet phonemes, stress removed; ≈ 110k train entries.',
    config: { targetTokens: 'words', hiddenSize: 256, dropout: 0.2 },
    async load({ size, seed }) {
      const [train, validation, test] = await Promise.all([
        pairs('train'),
        pairs('validation'),
        pairs('test'),
      ]);
      const words = [...new Set(validation.map((p) => p.source))];
      const selected = new Set(words.filter((_, i) => i % 3 === 0));
      return {
        train: size === undefined ? train : new Rng(seed).shuffle([...train]).slice(0, size),
        validation: validation.filter((p) => selected.has(p.source)),
        test,
      };
    },
  };
}

/** The datasets `--dataset` names for seq2seq:attention. */
export const seq2seqDatasets: Readonly<Record<string, DatasetSource<TextPair>>> = {
  dates: synthetic('dates in many formats → ISO 8601 (characters)', dateTask),
  addition: synthetic('"12+345" → "357" (characters)', additionTask),
  copy: synthetic('a random string → itself', copyTask),
  reverse: synthetic('a random string → reversed', reverseTask),
  sort: synthetic('a random string → its characters sorted', sortTask),
  'number-words': synthetic('a number → English words ("one hundred and two")', numberWordsTask),
  cmudict: cmudictSource(false),
  'cmudict-stress': cmudictSource(true),
};

/** Groups examples by source: each source with all its references (G2P: several pronunciations). */
function bySource(examples: readonly TextPair[]): [string, string[]][] {
  const map = new Map<string, string[]>();
  for (const e of examples) map.set(e.source, [...(map.get(e.source) ?? []), e.target]);
  return [...map];
}

/** Batches of `batchSize` in `order`; for long lists, sorted by target length within pools of 50. */
function cut(
  model: Seq2SeqModel,
  examples: readonly TextPair[],
  order: number[],
  batchSize: number,
  rng: Rng | null,
): PairBatch[] {
  const t = model.translator;
  const encoded = order.map((i) => ({
    source: t.encodeSource(examples[i].source),
    target: t.encodeTarget(examples[i].target),
  }));
  const pool = batchSize * 50;
  if (rng && encoded.length > pool) {
    // Similar lengths in a batch: less padding. Sort within pools, then shuffle the batches.
    for (let p = 0; p < encoded.length; p += pool) {
      const part = encoded.slice(p, p + pool).sort((a, b) => a.target.length - b.target.length);
      encoded.splice(p, part.length, ...part);
    }
  }
  const batches: PairBatch[] = [];
  for (let b = 0; b < encoded.length; b += batchSize) {
    const items = encoded.slice(b, b + batchSize);
    batches.push({ sources: items.map((x) => x.source), targets: items.map((x) => x.target) });
  }
  if (rng && encoded.length > pool) rng.shuffle(batches);
  return batches;
}

const nonEmpty = (e: TextPair, i: number) => {
  if (typeof e.source !== 'string' || e.source.trim() === '')
    throw new Seq2SeqInputError(
      `example ${i} has an empty source; every pair needs a source text.`,
    );
  if (typeof e.target !== 'string' || e.target.trim() === '')
    throw new Seq2SeqInputError(
      `example ${i} has an empty target; every pair needs a target text.`,
    );
};

/**
 * The task of `seq2seq:attention`: text pairs (a CSV's source and target columns, or a
 * `--dataset`: the synthetic tasks and CMUdict G2P); vocabularies of the training examples'
 * tokens (characters, or space-separated words with config `targetTokens: 'words'`); batches of
 * ids sorted by target length within pools on large data; label-smoothed masked cross-entropy;
 * the loss and greedy decoding on held-out examples for exact match, WER (a source is wrong when its output
 * matches none of its references) and PER/token error rate (edits to the closest reference over
 * its length), picked by WER; predict by greedy or beam search with n-best lists and attention.
 * Training defaults are the G2P recipe: Adam 3e-3, batches of 128, clipping 5, label smoothing
 * 0.05, the learning rate falling linearly to a tenth, 5 % held out when no validation is given.
 */
export const seq2seqTask: Task<Seq2SeqModel, TextPair, PairBatch> = {
  examples: 'text-pairs',
  datasets: seq2seqDatasets,
  vocabularies(train, config) {
    train.forEach(nonEmpty);
    const c = (config ?? {}) as {
      sourceTokens?: 'chars' | 'words';
      targetTokens?: 'chars' | 'words';
    };
    const source = tokenizerOf(c.sourceTokens ?? 'chars');
    const target = tokenizerOf(c.targetTokens ?? 'chars');
    return {
      source: Vocab.fromTokens(train.flatMap((p) => source.tokenize(p.source)).sort()).toJSON(),
      target: Vocab.fromTokens(train.flatMap((p) => target.tokenize(p.target)).sort()).toJSON(),
      sourceTokenizer: source.toJSON(),
      targetTokenizer: target.toJSON(),
    };
  },
  batches(model, examples, options) {
    const order = examples.map((_, i) => i);
    const rng = options.training ? new Rng(options.seed) : null;
    rng?.shuffle(order);
    return cut(model, examples, order, options.batchSize, rng);
  },
  loss(model, batch, context) {
    const tensors = model.tensors(batch.sources, batch.targets);
    try {
      return model.loss(tensors, { labelSmoothing: context.labelSmoothing });
    } finally {
      disposeTensors(tensors);
    }
  },
  size: (batch) => batch.targets.reduce((n, t) => n + t.length + 1, 0),
  split(batch, parts) {
    // Consecutive pairs with about the same number of target tokens each (the loss is a mean
    // over target tokens, and the decoder's steps are most of the work).
    const n = Math.min(parts, batch.targets.length);
    const total = seq2seqTask.size!(batch);
    const out: PairBatch[] = [];
    let start = 0;
    let tokens = 0;
    for (let i = 0; i < batch.targets.length && out.length < n - 1; i++) {
      tokens += batch.targets[i].length + 1;
      const left = batch.targets.length - (i + 1);
      if (tokens >= ((out.length + 1) * total) / n || left === n - 1 - out.length) {
        out.push({
          sources: batch.sources.slice(start, i + 1),
          targets: batch.targets.slice(start, i + 1),
        });
        start = i + 1;
      }
    }
    out.push({ sources: batch.sources.slice(start), targets: batch.targets.slice(start) });
    return out;
  },
  async evaluate(model, examples, options) {
    const beam = options?.beam ?? 1;
    // Teacher-forced cross-entropy per target token (no smoothing), over every example.
    let nll = 0;
    let tokens = 0;
    for (const batch of cut(
      model,
      examples,
      examples.map((_, i) => i),
      256,
      null,
    )) {
      const n = seq2seqTask.size!(batch);
      const value = seq2seqTask.loss(model, batch, { training: false });
      nll += value.dataSync()[0] * n;
      value.dispose();
      tokens += n;
    }
    const groups = bySource(examples);
    let wrong = 0;
    let edits = 0;
    let length = 0;
    const t = model.translator;
    for (let i = 0; i < groups.length; i += 256) {
      const part = groups.slice(i, i + 256);
      const out = t.translate(
        part.map(([s]) => s),
        beam > 1 ? { method: 'beam', beamWidth: beam } : { method: 'greedy' },
      );
      out.forEach(([best], j) => {
        let bestEdits = Number.POSITIVE_INFINITY;
        let bestLength = 1;
        for (const ref of part[j][1]) {
          const tokens = t.targetTokenizer.tokenize(ref);
          const d = editDistance(tokens, best.outputTokens);
          if (d < bestEdits) [bestEdits, bestLength] = [d, Math.max(1, tokens.length)];
        }
        if (bestEdits > 0) wrong += 1;
        edits += bestEdits;
        length += bestLength;
      });
    }
    const n = Math.max(1, groups.length);
    return {
      loss: nll / Math.max(1, tokens),
      exactMatch: 1 - wrong / n,
      wer: wrong / n,
      per: edits / Math.max(1, length),
    };
  },
  metric: { name: 'wer', mode: 'min' },
  async predict(model, inputs, options): Promise<Prediction[]> {
    if (inputs.length === 0) return [];
    const beam = options.beam ?? 5;
    const nBest = options.nBest ?? 1;
    if (nBest > beam)
      throw new Seq2SeqInputError(
        `nBest ${nBest} is more than the beam width ${beam}; raise the beam.`,
      );
    const was = model.training;
    model.eval();
    let lists: Translation[][];
    try {
      lists = model.translator.translate(inputs, {
        ...(beam > 1 ? { method: 'beam', beamWidth: beam, nBest } : { method: 'greedy' }),
      });
    } finally {
      model.train(was);
    }
    return inputs.map((input, i) => {
      const best = lists[i][0];
      const output: TranslationOutput = {
        translations: lists[i].map((h) => ({
          text: h.text,
          tokens: h.outputTokens,
          score: h.score,
          logProb: h.logProb,
        })),
      };
      if (options.attention && best.attention) {
        output.attention = {
          weights: best.attention,
          sourceTokens: best.sourceTokens,
          outputTokens: best.outputTokens,
        };
      }
      return {
        input,
        text: best.text,
        output,
        score: best.score,
        alternatives: lists[i].slice(1).map((h) => ({ text: h.text, score: h.score })),
      };
    });
  },
  predictOptions: ['beam', 'nBest', 'attention'],
  training: {
    optimizer: 'adam',
    learningRate: 3e-3,
    batchSize: 128,
    clipGradNorm: 5,
    labelSmoothing: 0.05,
    finalLearningRateFactor: 0.1,
    validationSplit: 0.05,
    epochs: 10,
    averageDecay: 0.999,
  },
};
