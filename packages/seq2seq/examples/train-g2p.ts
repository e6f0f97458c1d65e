// Grapheme-to-phoneme conversion on CMUdict (stress removed) with `seq2seq:attention` from the
// registry: letters → ARPAbet phonemes, trained on wasm for a time budget, then evaluated on the
// test split (≈ 12,600 words) with word error rate and phoneme error rate, greedy and beam 5.
//
//   node --conditions=@seqzoo/source --import tsx packages/seq2seq/examples/train-g2p.ts \
//     [--minutes 60] [--workers 2] [--attention general|bahdanau|dot|concat|none] \
//     [--hidden 256] [--layers 1] [--batch 128] [--lr 0.003] [--dropout 0.2] \
//     [--final-lr-factor 0.1] [--ema 0.999,0.9995] [--alpha auto|α] [--save ./g2p-model] [--test-limit N] \
//     [--max-steps N]
//
// tfjs' wasm backend runs one thread in Node, so `--workers 2` trains data-parallel on two
// cores: this thread and a worker thread (g2p-worker.ts) each take half of every batch, the
// worker reads the parameters from shared memory and writes its gradient back, and this thread
// averages the two (weighted by target tokens: the same step as on the whole batch) and updates.
//
// WER counts a word as wrong when the prediction matches none of its pronunciations; PER is the
// edit distance to the closest pronunciation over that pronunciation's length (the convention of
// Bisani & Ney 2008 and Yao & Zweig 2015 for CMUdict).
import { parseArgs } from 'node:util';
import { Worker } from 'node:worker_threads';
import type { CmudictEntry } from '@seqzoo/data';
import { adam, clipGradNorm, movingAverage } from '@seqzoo/optimizers';
import { saveModel } from '@seqzoo/registry';
import * as tf from '@tensorflow/tfjs-core';
import type { TranslateOptions } from '../src/index';
import {
  batchGradients,
  better,
  byWord,
  chooseAlpha,
  createG2PModel,
  evaluateG2P,
  loadG2PData,
  percent,
  registry,
  selectionWords,
  tokenCount,
  type WordList,
  writeFlat,
} from './g2p-setup';

const { values: args } = parseArgs({
  options: {
    backend: { type: 'string', default: 'wasm' },
    minutes: { type: 'string', default: '60' },
    attention: { type: 'string', default: 'general' },
    cell: { type: 'string', default: 'lstm' },
    hidden: { type: 'string', default: '256' },
    embedding: { type: 'string', default: '64' },
    layers: { type: 'string', default: '1' },
    batch: { type: 'string', default: '128' },
    lr: { type: 'string', default: '0.003' },
    dropout: { type: 'string', default: '0.2' },
    seed: { type: 'string', default: '1' },
    'eval-every': { type: 'string', default: '500' },
    // Beam search's GNMT length penalty; auto: the best of 0, 0.5, 1 on validation words.
    alpha: { type: 'string', default: 'auto' },
    // Learning rate falls linearly with training time to lr · this factor (1: constant).
    'final-lr-factor': { type: 'string', default: '0.1' },
    // Decays of the parameters' moving averages, comma-separated (0: none); chosen on validation words after training.
    ema: { type: 'string', default: '0.999,0.9995' },
    // 2: data parallel over two cores (this thread and one worker thread, half a batch each).
    workers: { type: 'string', default: '2' },
    // Stop after this many steps even within the time budget.
    'max-steps': { type: 'string' },
    'test-limit': { type: 'string' },
    save: { type: 'string' },
    // Keep CMUdict's stress digits in the targets (AH0, IY1).
    stress: { type: 'boolean', default: false },
  },
});

const data = await loadG2PData(args.stress);
const { train, validation, test, letters, phonemes } = data;
const testWords = byWord(test).slice(
  0,
  args['test-limit'] ? Number(args['test-limit']) : undefined,
);
const validationWords = byWord(validation).slice(0, 1000);
const selection = selectionWords(validation);

const model = await createG2PModel(args, data);
const t = model.translator;
const optimizer = adam(model.namedParameters(), { lr: Number(args.lr) });

// Data parallelism: the worker replicas read the parameters from `weights` before each batch
// and write their gradients to their own `grads` buffer; this thread averages them (weighted by
// target tokens, so the step equals one over the whole batch) and takes the optimizer step.
const size = model.numParameters();
const weights = new Float32Array(new SharedArrayBuffer(4 * size));
const workers = await Promise.all(
  Array.from({ length: Number(args.workers) - 1 }, async (_, i) => {
    const grads = new SharedArrayBuffer(4 * size);
    const worker = new Worker(new URL('./g2p-worker.mjs', import.meta.url), {
      workerData: {
        args,
        weights: weights.buffer,
        grads,
        seed: Number(args.seed) + 1000 * (i + 1),
      },
    });
    // One reply per message sent: the worker's 'ready', then the loss and time of each batch.
    type Reply = { loss: number; ms: number };
    let waiting: { resolve: (r: Reply) => void; reject: (e: Error) => void } | undefined;
    const reply = () =>
      new Promise<Reply>((resolve, reject) => {
        waiting = { resolve, reject };
      });
    worker.on('message', (m) => waiting?.resolve(m));
    worker.on('error', (e) => waiting?.reject(e));
    await reply();
    return {
      worker,
      grads: new Float32Array(grads),
      ask(items: CmudictEntry[]) {
        const answer = reply();
        worker.postMessage(items);
        return answer;
      },
    };
  }),
);

/**
 * This thread's share of each batch's target tokens, following the measured speed of each side
 * (the worker also reads the parameters and writes its gradient). Measured: it settles at
 * 0.48–0.56, and this thread still waits 10–20 ms a step for the worker, the step-to-step
 * variation of two ≈ 200 ms halves rather than a steady imbalance.
 */
let ownShare = 1 / (workers.length + 1);

/** One batch's loss and gradients, split over this thread and the workers. */
async function gradients(items: CmudictEntry[]) {
  if (workers.length === 0) return batchGradients(model, items);
  // This thread takes the first words up to its share of the batch's target tokens.
  const goal = ownShare * tokenCount(items);
  let own = 1;
  for (let tokens = items[0].phonemes.length + 1; own < items.length - workers.length; own++) {
    tokens += items[own].phonemes.length + 1;
    if (tokens > goal) break;
  }
  const chunk = Math.ceil((items.length - own) / workers.length);
  const split = [
    items.slice(0, own),
    ...workers.map((_, i) => items.slice(own + i * chunk, own + (i + 1) * chunk)),
  ];
  writeFlat(model, weights);
  const pending = workers.map((w, i) => w.ask(split[i + 1]));
  const started = performance.now();
  const mine = batchGradients(model, split[0]);
  const ownMs = performance.now() - started;
  const replies = await Promise.all(pending);
  const losses = replies.map((r) => r.loss);
  const workerMs = replies.map((r) => r.ms);
  const counts = split.map(tokenCount);
  // Target tokens per ms of each side → the share that would have finished together, smoothed.
  const speeds = [ownMs, ...workerMs].map((ms, i) => counts[i] / ms);
  ownShare = 0.9 * ownShare + (0.1 * speeds[0]) / speeds.reduce((a, b) => a + b, 0);
  const total = counts.reduce((a, b) => a + b, 0);
  const grads = new Map<string, tf.Tensor>();
  let offset = 0;
  for (const [path, v] of model.namedParameters()) {
    const start = offset;
    grads.set(
      path,
      tf.tidy(() => {
        let g = tf.mul(mine.grads.get(path) ?? tf.zeros(v.shape), counts[0] / total);
        workers.forEach((w, i) => {
          const part = tf.tensor(w.grads.subarray(start, start + v.size), v.shape);
          g = tf.add(g, tf.mul(part, counts[i + 1] / total));
        });
        return g;
      }),
    );
    offset += v.size;
  }
  const ownLoss = (await mine.value.data())[0];
  tf.dispose([mine.value, ...mine.grads.values()]);
  const mean = losses.reduce((s, l, i) => s + l * counts[i + 1], ownLoss * counts[0]) / total;
  return { value: tf.scalar(mean), grads };
}
console.log(
  `${train.length} training pairs, ${validation.length} validation, ${testWords.length} test words; ` +
    `${letters.size} letters, ${phonemes.size} phonemes; ${model.numParameters()} parameters; ` +
    `attention ${args.attention}; backend ${tf.getBackend()}; ${workers.length + 1} thread(s)`,
);

const evaluate = (words: WordList, options: TranslateOptions) => evaluateG2P(t, words, options);

/**
 * One epoch of batches: shuffled, then each pool of 32 batches sorted by pronunciation length
 * (then word length) and cut, so that a batch's words need about the same number of decoder
 * steps (the decoder is most of the work: padding it costs 4 % this way, 33 % when sorted by
 * word length), and the batches shuffled again.
 */
function batches(epoch: number, size: number): CmudictEntry[][] {
  let state = (epoch + 1) * 2654435761;
  const rand = () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
  const shuffled = [...train].sort(() => rand() - 0.5);
  const out: CmudictEntry[][] = [];
  for (let i = 0; i < shuffled.length; i += size * 32) {
    const sorted = shuffled
      .slice(i, i + size * 32)
      .sort((a, b) => a.phonemes.length - b.phonemes.length || a.word.length - b.word.length);
    for (let j = 0; j + size <= sorted.length; j += size) out.push(sorted.slice(j, j + size));
  }
  return out.sort(() => rand() - 0.5);
}

const averages = args.ema
  .split(',')
  .map(Number)
  .filter((d) => d > 0)
  .map((decay) => ({ decay, average: movingAverage(model.namedParameters(), { decay }) }));

const budgetMs = Number(args.minutes) * 60_000;
const evalEvery = Number(args['eval-every']);
const maxSteps = args['max-steps'] ? Number(args['max-steps']) : Number.POSITIVE_INFINITY;
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
    const { value, grads } = await gradients(items);
    const clipped = clipGradNorm(grads, 5);
    if (clipped.finite) {
      optimizer.step(clipped.grads);
      for (const a of averages) a.average.update();
    }
    lossSum += (await value.data())[0];
    lossSteps++;
    tf.dispose([value, ...grads.values(), ...clipped.grads.values()]);
    trainMs += performance.now() - t0;
    step++;
    if (step % evalEvery === 0 || trainMs >= budgetMs || step === maxSteps) {
      // Without dropout, as after training (the replicas keep training mode).
      model.eval();
      const v = evaluate(validationWords, { method: 'greedy' });
      model.train();
      console.log(
        `step ${step}  epoch ${epoch}  loss ${(lossSum / lossSteps).toFixed(4)}  validation WER ${(100 * v.wer).toFixed(1)}%  PER ${(100 * v.per).toFixed(2)}%  ` +
          `train ${(trainMs / 60_000).toFixed(1)} min (${(trainMs / step).toFixed(0)} ms/step, this thread's share ${ownShare.toFixed(2)})`,
      );
      lossSum = 0;
      lossSteps = 0;
    }
    if (trainMs >= budgetMs || step === maxSteps) break outer;
  }
}
await Promise.all(workers.map((w) => w.worker.terminate()));
model.eval();
if (averages.length > 0) {
  // The moving averages against the last parameters, on validation words; the best is tested.
  const last = evaluate(selection, { method: 'greedy' });
  let best = { name: 'last parameters', ...last, values: null as Map<string, tf.Tensor> | null };
  const report = [`last parameters WER ${percent(last.wer)} PER ${percent(last.per)}`];
  for (const { decay, average } of averages) {
    average.swap();
    const r = evaluate(selection, { method: 'greedy' });
    const name = `moving average ${decay}`;
    report.push(`${name} WER ${percent(r.wer)} PER ${percent(r.per)}`);
    if (better(r, best)) {
      best = { name, ...r, values: average.snapshot() };
    }
    average.swap();
  }
  console.log(
    `validation (${selection.length} words, greedy): ${report.join('; ')} → testing the ${best.name}`,
  );
  if (best.values) {
    for (const [path, v] of model.namedParameters()) v.assign(best.values.get(path)!);
    tf.dispose([...best.values.values()]);
  }
  for (const a of averages) a.average.dispose();
}

const alpha = chooseAlpha(t, selection, args.alpha);
let t0 = performance.now();
const greedy = evaluate(testWords, { method: 'greedy' });
const greedyMs = performance.now() - t0;
t0 = performance.now();
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
  `test (${testWords.length} words): greedy WER ${percent(greedy.wer)}  PER ${percent(greedy.per)}`,
);
console.log(
  `test (${testWords.length} words): beam 5 WER ${percent(beam.wer)}  PER ${percent(beam.per)}`,
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
// The attention matrix of the longest of the ten words (a short one shows little).
const longest = shown.reduce((a, b) =>
  b[0].sourceTokens.length > a[0].sourceTokens.length ? b : a,
);
if (longest[0].attention) console.log(`\n${t.formatAttention(longest[0])}`);

if (args.save) {
  await saveModel(registry, model, args.save, {
    training: { steps: step, minutes: trainMs / 60_000, testWER: beam.wer, testPER: beam.per },
  });
  console.log(`saved to ${args.save}`);
}
