// Grapheme-to-phoneme conversion on CMUdict (stress removed) with `seq2seq:attention` from the
// registry: letters → ARPAbet phonemes, trained on wasm for a time budget, then evaluated on the
// test split (≈ 12,600 words) with word error rate and phoneme error rate, greedy and beam 5.
//
//   node --conditions=@seqzoo/source --import tsx packages/seq2seq/examples/train-g2p.ts \
//     [--minutes 60] [--attention general|bahdanau|dot|concat|none] [--hidden 256] \
//     [--layers 1] [--batch 64] [--lr 0.002] [--final-lr-factor 1] [--alpha 0] [--save ./g2p-model]
//     [--test-limit N]
//
// WER counts a word as wrong when the prediction matches none of its pronunciations; PER is the
// edit distance to the closest pronunciation over that pronunciation's length (the convention of
// Bisani & Ney 2008 and Yao & Zweig 2015 for CMUdict).
import { parseArgs } from 'node:util';
import { type CmudictEntry, charTokenizer, loadCmudict, pretokenized, Vocab } from '@seqzoo/data';
import { adam, clipGradNorm } from '@seqzoo/optimizers';
import { createRegistry, saveModel } from '@seqzoo/registry';
import { editDistance } from '@seqzoo/train';
import * as tf from '@tensorflow/tfjs-core';
import { disposeTensors, type Seq2SeqModel, seq2seqPlugin, valueAndGrads } from '../src/index';

const { values: args } = parseArgs({
  options: {
    backend: { type: 'string', default: 'wasm' },
    minutes: { type: 'string', default: '60' },
    attention: { type: 'string', default: 'general' },
    cell: { type: 'string', default: 'lstm' },
    hidden: { type: 'string', default: '256' },
    embedding: { type: 'string', default: '64' },
    layers: { type: 'string', default: '1' },
    batch: { type: 'string', default: '64' },
    lr: { type: 'string', default: '0.002' },
    dropout: { type: 'string', default: '0.2' },
    seed: { type: 'string', default: '1' },
    'eval-every': { type: 'string', default: '500' },
    alpha: { type: 'string', default: '0' },
    // Learning rate falls linearly with training time to lr · this factor (1: constant).
    'final-lr-factor': { type: 'string', default: '1' },
    'test-limit': { type: 'string' },
    save: { type: 'string' },
  },
});

// A few CMUdict lines carry a comment after '#' ("AE L AH N # place, german"); drop it.
const clean = (e: CmudictEntry): CmudictEntry => {
  const cut = e.phonemes.indexOf('#');
  return cut < 0 ? e : { word: e.word, phonemes: e.phonemes.slice(0, cut) };
};
const [train, validation, test] = await Promise.all(
  (['train', 'validation', 'test'] as const).map(async (split) =>
    (await loadCmudict({ split, stress: false })).map(clean),
  ),
);
const byWord = (entries: CmudictEntry[]) => {
  const map = new Map<string, string[][]>();
  for (const e of entries) map.set(e.word, [...(map.get(e.word) ?? []), e.phonemes]);
  return [...map];
};
// Words made of letters and the few marks CMUdict has (apostrophe, hyphen, period).
const letters = Vocab.fromTokens(train.flatMap((e) => [...e.word]).sort());
const phonemes = Vocab.fromTokens(train.flatMap((e) => e.phonemes).sort());
const testWords = byWord(test).slice(
  0,
  args['test-limit'] ? Number(args['test-limit']) : undefined,
);
const validationWords = byWord(validation).slice(0, 1000);

const registry = createRegistry({ plugins: [seq2seqPlugin] });
const model = await registry.create<Seq2SeqModel>(
  'seq2seq:attention',
  {
    cell: args.cell,
    embeddingSize: Number(args.embedding),
    hiddenSize: Number(args.hidden),
    numLayers: Number(args.layers),
    attention: args.attention,
    dropout: Number(args.dropout),
    seed: Number(args.seed),
  },
  {
    backend: args.backend as 'wasm',
    vocabularies: {
      source: letters.toJSON(),
      target: phonemes.toJSON(),
      sourceTokenizer: charTokenizer().toJSON(),
      targetTokenizer: pretokenized().toJSON(),
    },
  },
);
const t = model.translator;
const optimizer = adam(model.namedParameters(), { lr: Number(args.lr) });
console.log(
  `${train.length} training pairs, ${validation.length} validation, ${testWords.length} test words; ` +
    `${letters.size} letters, ${phonemes.size} phonemes; ${model.numParameters()} parameters; ` +
    `attention ${args.attention}; backend ${tf.getBackend()}`,
);

/** WER and PER against every pronunciation of each word. */
function evaluate(
  words: [string, string[][]][],
  options: { method: 'greedy' | 'beam'; beamWidth?: number; lengthPenalty?: number },
) {
  let wrongWords = 0;
  let edits = 0;
  let length = 0;
  const outputs: string[][] = [];
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
      outputs.push(best.outputTokens);
    });
  }
  return { wer: wrongWords / words.length, per: edits / length, outputs };
}

function batches(epoch: number, size: number): CmudictEntry[][] {
  let state = (epoch + 1) * 2654435761;
  const rand = () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
  const shuffled = [...train].sort(() => rand() - 0.5);
  const out: CmudictEntry[][] = [];
  for (let i = 0; i < shuffled.length; i += size * 32) {
    const sorted = shuffled.slice(i, i + size * 32).sort((a, b) => a.word.length - b.word.length);
    for (let j = 0; j + size <= sorted.length; j += size) out.push(sorted.slice(j, j + size));
  }
  return out.sort(() => rand() - 0.5);
}

const budgetMs = Number(args.minutes) * 60_000;
const evalEvery = Number(args['eval-every']);
const baseLr = Number(args.lr);
const finalFactor = Number(args['final-lr-factor']);
let trainMs = 0;
let step = 0;
let lossSum = 0;
let lossSteps = 0;
outer: for (let epoch = 0; ; epoch++) {
  for (const items of batches(epoch, Number(args.batch))) {
    const t0 = performance.now();
    optimizer.lr = baseLr * (1 - (1 - finalFactor) * Math.min(1, trainMs / budgetMs));
    const batch = model.tensors(
      items.map((e) => t.encodeSource(e.word)),
      items.map((e) => t.encodeTarget(e.phonemes)),
    );
    const { value, grads } = valueAndGrads(model, () => model.loss(batch));
    const clipped = clipGradNorm(grads, 5);
    if (clipped.finite) optimizer.step(clipped.grads);
    lossSum += (await value.data())[0];
    lossSteps++;
    tf.dispose([value, ...grads.values(), ...clipped.grads.values()]);
    disposeTensors(batch);
    trainMs += performance.now() - t0;
    step++;
    if (step % evalEvery === 0 || trainMs >= budgetMs) {
      const v = evaluate(validationWords, { method: 'greedy' });
      console.log(
        `step ${step}  epoch ${epoch}  loss ${(lossSum / lossSteps).toFixed(4)}  validation WER ${(100 * v.wer).toFixed(1)}%  PER ${(100 * v.per).toFixed(2)}%  ` +
          `train ${(trainMs / 60_000).toFixed(1)} min (${(trainMs / step).toFixed(0)} ms/step)`,
      );
      lossSum = 0;
      lossSteps = 0;
    }
    if (trainMs >= budgetMs) break outer;
  }
}
model.eval();

let t0 = performance.now();
const greedy = evaluate(testWords, { method: 'greedy' });
const greedyMs = performance.now() - t0;
t0 = performance.now();
const alpha = Number(args.alpha);
const beam = evaluate(testWords, { method: 'beam', beamWidth: 5, lengthPenalty: alpha });
const beamMs = performance.now() - t0;
// Beam ≥ greedy in model score, per word.
const sample = testWords.slice(0, 1000).map(([w]) => w);
const g = t.translate(sample, { method: 'greedy' });
const b = t.translate(sample, { method: 'beam', beamWidth: 5 });
const atLeast = b.filter(([h], i) => h.logProb >= g[i][0].logProb - 1e-4).length / sample.length;

console.log(
  `\ntrained ${step} steps, ${(trainMs / 60_000).toFixed(1)} min of training on ${tf.getBackend()}`,
);
console.log(
  `test (${testWords.length} words): greedy WER ${(100 * greedy.wer).toFixed(2)}%  PER ${(100 * greedy.per).toFixed(2)}%`,
);
console.log(
  `test (${testWords.length} words): beam 5 WER ${(100 * beam.wer).toFixed(2)}%  PER ${(100 * beam.per).toFixed(2)}%`,
);
console.log(
  `beam 5 log-probability ≥ greedy on ${(100 * atLeast).toFixed(1)}% of ${sample.length} words`,
);
console.log(
  `decode throughput: greedy ${((testWords.length / greedyMs) * 1000).toFixed(0)} words/s, beam 5 ${((testWords.length / beamMs) * 1000).toFixed(0)} words/s (batches of 200)`,
);

const examples = testWords.slice(0, 10).map(([w]) => w);
const shown = t.translate(examples, { beamWidth: 5, nBest: 3, lengthPenalty: alpha });
shown.forEach((list, i) => {
  const refs = testWords[i][1].map((p) => p.join(' ')).join(' | ');
  console.log(`\n${examples[i]}  (reference: ${refs})`);
  for (const h of list) console.log(`  ${h.score.toFixed(3).padStart(8)}  ${h.text}`);
});
if (shown[0][0].attention) console.log(`\n${t.formatAttention(shown[0][0])}`);

if (args.save) {
  await saveModel(registry, model, args.save, {
    training: { steps: step, minutes: trainMs / 60_000, testWER: beam.wer, testPER: beam.per },
  });
  console.log(`saved to ${args.save}`);
}
