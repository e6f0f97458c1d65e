// Date normalization ("3rd of March 2019", "03/03/19", "Mar 3, 2019" → "2019-03-03") with a
// character-level BiLSTM encoder, Luong attention and input feeding, trained on wasm.
//
//   node --conditions=@seqzoo/source --import tsx packages/seq2seq/examples/train-dates.ts \
//     [--backend wasm] [--minutes 5] [--hidden 64] [--batch 64] [--save dates-model.json]
//
// Prints the loss and held-out exact match as it trains, then greedy and beam-search exact match
// on 2,000 held-out dates, throughput, and one attention matrix.
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { type BackendName, useBackend } from '@seqzoo/backend';
import { charTokenizer, dateTask, type Seq2SeqPair, Vocab } from '@seqzoo/data';
import { adam } from '@seqzoo/optimizers';
import * as tf from '@tensorflow/tfjs-core';
import { disposeTensors, Seq2Seq, Translator, valueAndGrads } from '../src/index';

const { values: args } = parseArgs({
  options: {
    backend: { type: 'string', default: 'wasm' },
    minutes: { type: 'string', default: '5' },
    hidden: { type: 'string', default: '64' },
    batch: { type: 'string', default: '64' },
    lr: { type: 'string', default: '0.005' },
    seed: { type: 'string', default: '1' },
    save: { type: 'string' },
  },
});
const info = await useBackend(args.backend as BackendName);
const budgetMs = Number(args.minutes) * 60_000;
const batchSize = Number(args.batch);

// Data: 40,000 training dates, 2,000 held-out dates whose source text never occurs in training.
const train = await dateTask({ size: 40_000, seed: 1 }).toArray();
const seen = new Set(train.map((p) => p.source));
const heldOut = (await dateTask({ size: 3_000, seed: 2 }).toArray())
  .filter((p) => !seen.has(p.source))
  .slice(0, 2_000);
const validation = heldOut.slice(0, 500);

const chars = charTokenizer();
const sourceVocab = Vocab.fromTokens(train.flatMap((p) => chars.tokenize(p.source)).sort());
const targetVocab = Vocab.fromTokens('0123456789-');
const encodeSource = (s: string) => sourceVocab.encode(chars.tokenize(s));
const encodeTarget = (s: string) => targetVocab.encode(chars.tokenize(s));

const hidden = Number(args.hidden);
const model = new Seq2Seq({
  sourceVocabSize: sourceVocab.size,
  targetVocabSize: targetVocab.size,
  cell: 'lstm',
  embeddingSize: 32,
  hiddenSize: hidden,
  bidirectional: true,
  attention: 'general',
  dropout: 0.1,
  seed: Number(args.seed),
});
const translator = new Translator(model, sourceVocab, targetVocab);
const optimizer = adam(model.namedParameters(), { lr: Number(args.lr) });
console.log(
  `backend ${info.name}; ${model.numParameters()} parameters; ${train.length} training pairs; source vocab ${sourceVocab.size}`,
);

// Batches of similar source length (less padding), in a seeded random order.
function batches(epoch: number): Seq2SeqPair[][] {
  let state = (epoch + 1) * 2654435761;
  const rand = () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
  const shuffled = [...train].sort(() => rand() - 0.5);
  const out: Seq2SeqPair[][] = [];
  const chunk = batchSize * 32;
  for (let i = 0; i < shuffled.length; i += chunk) {
    const sorted = shuffled.slice(i, i + chunk).sort((a, b) => a.source.length - b.source.length);
    for (let j = 0; j + batchSize <= sorted.length; j += batchSize)
      out.push(sorted.slice(j, j + batchSize));
  }
  return out.sort(() => rand() - 0.5);
}

function exactMatch(pairs: Seq2SeqPair[], method: 'greedy' | 'beam'): number {
  let correct = 0;
  for (let i = 0; i < pairs.length; i += 250) {
    const part = pairs.slice(i, i + 250);
    const out = translator.translate(
      part.map((p) => p.source),
      { method, beamWidth: 5 },
    );
    out.forEach((n, j) => {
      if (n[0].text === part[j].target) correct++;
    });
  }
  return correct / pairs.length;
}

const start = performance.now();
let trainMs = 0;
let step = 0;
let best = 0;
outer: for (let epoch = 0; ; epoch++) {
  for (const items of batches(epoch)) {
    const t0 = performance.now();
    const batch = model.tensors(
      items.map((p) => encodeSource(p.source)),
      items.map((p) => encodeTarget(p.target)),
    );
    const { value, grads } = valueAndGrads(model, () =>
      model.loss(batch, { labelSmoothing: 0.05 }),
    );
    optimizer.step(grads);
    const loss = (await value.data())[0];
    tf.dispose([value, ...grads.values()]);
    disposeTensors(batch);
    trainMs += performance.now() - t0;
    step++;
    if (step % 100 === 0) {
      const acc = exactMatch(validation, 'greedy');
      best = Math.max(best, acc);
      console.log(
        `step ${step}  epoch ${epoch}  loss ${loss.toFixed(4)}  held-out exact ${(100 * acc).toFixed(1)}%  ` +
          `train ${(trainMs / 1000).toFixed(0)} s  (${(trainMs / step).toFixed(0)} ms/step)  tensors ${tf.memory().numTensors}`,
      );
      if (acc === 1 || trainMs >= budgetMs) break outer;
    }
    if (trainMs >= budgetMs) break outer;
  }
}
model.eval();

const t1 = performance.now();
const greedy = exactMatch(heldOut, 'greedy');
const greedyMs = performance.now() - t1;
const t2 = performance.now();
const beam = exactMatch(heldOut, 'beam');
const beamMs = performance.now() - t2;
console.log(
  `\ntrained ${step} steps in ${(trainMs / 1000).toFixed(1)} s of training (${((performance.now() - start) / 1000).toFixed(0)} s wall with evaluation)`,
);
console.log(
  `held-out exact match on ${heldOut.length}: greedy ${(100 * greedy).toFixed(2)}%  beam 5 ${(100 * beam).toFixed(2)}%`,
);
console.log(
  `decode throughput: greedy ${((heldOut.length / greedyMs) * 1000).toFixed(0)} dates/s, beam 5 ${((heldOut.length / beamMs) * 1000).toFixed(0)} dates/s (batches of 250)`,
);

const example = 'Sunday 3rd March 2019';
const [top] = translator.translate([example], { method: 'beam', beamWidth: 5, nBest: 3 });
for (const h of top) console.log(`${example} → ${h.text}  (score ${h.score.toFixed(4)})`);
console.log(translator.formatAttention(top[0]));
if (args.save) {
  writeFileSync(args.save, JSON.stringify(await translator.toJSON()));
  console.log(`saved to ${args.save}`);
}
