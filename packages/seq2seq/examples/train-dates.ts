// Date normalization ("3rd of March 2019", "03/03/19", "Mar 3, 2019" → "2019-03-03") with
// `seq2seq:attention` (a character-level BiLSTM encoder, Luong attention, input feeding),
// trained through @seqzoo/train's fitTask — the loop `seqzoo train` uses — on wasm.
//
//   node --conditions=@seqzoo/source --import tsx packages/seq2seq/examples/train-dates.ts \
//     [--backend wasm] [--minutes 5] [--hidden 64] [--batch 64] [--lr 0.005] [--workers 1] [--save dir]
//
// Validates every 100 steps on 500 held-out dates (stopping after 3 validations without
// improvement), then prints greedy and beam-search exact match on 2,000 held-out dates whose
// text never occurs in training, throughput, and one attention matrix.
import { parseArgs } from 'node:util';
import { type BackendName, useBackend } from '@seqzoo/backend';
import { dateTask } from '@seqzoo/data';
import { createRegistry, saveModel } from '@seqzoo/registry';
import { fitTask } from '@seqzoo/train';
import { seq2seqPlugin } from '../src/index';

const { values: args } = parseArgs({
  options: {
    backend: { type: 'string', default: 'wasm' },
    minutes: { type: 'string', default: '5' },
    hidden: { type: 'string', default: '64' },
    batch: { type: 'string', default: '64' },
    lr: { type: 'string', default: '0.005' },
    seed: { type: 'string', default: '1' },
    workers: { type: 'string', default: '1' },
    save: { type: 'string' },
  },
});
const info = await useBackend(args.backend as BackendName);
const registry = createRegistry({ plugins: [seq2seqPlugin] });
const task = registry.definition('seq2seq:attention').task!;

// Data: 40,000 training dates, 2,000 held-out dates whose source text never occurs in training.
const train = await dateTask({ size: 40_000, seed: 1 }).toArray();
const seen = new Set(train.map((p) => p.source));
const heldOut = (await dateTask({ size: 3_000, seed: 2 }).toArray())
  .filter((p) => !seen.has(p.source))
  .slice(0, 2_000);

const config = {
  embeddingSize: 32,
  hiddenSize: Number(args.hidden),
  dropout: 0.1,
  seed: Number(args.seed),
};
const model = await registry.create('seq2seq:attention', config, {
  vocabularies: task.vocabularies!(train, config),
});
console.log(
  `backend ${info.name}; ${model.numParameters()} parameters; ${train.length} training pairs; source vocab ${model.sourceVocab.size}`,
);

const started = performance.now();
const result = await fitTask(
  model,
  task,
  { train, validation: heldOut.slice(0, 500) },
  {
    maxMinutes: Number(args.minutes),
    batchSize: Number(args.batch),
    lr: Number(args.lr),
    finalLrFactor: 1,
    validateEverySteps: 100,
    patience: 3,
    workers: Number(args.workers),
    seed: Number(args.seed),
    callbacks: {
      onValidation: ({ step, results }) =>
        console.log(
          `step ${step}  held-out exact ${(100 * results.exactMatch).toFixed(1)}%  loss ${results.loss.toFixed(4)}  ` +
            `${((performance.now() - started) / 1000).toFixed(0)} s`,
        ),
    },
  },
);

function exactMatch(method: 'greedy' | 'beam'): number {
  let correct = 0;
  for (let i = 0; i < heldOut.length; i += 250) {
    const part = heldOut.slice(i, i + 250);
    const out = model.translator.translate(
      part.map((p) => p.source),
      { method, beamWidth: 5 },
    );
    out.forEach((n, j) => {
      if (n[0].text === part[j].target) correct++;
    });
  }
  return correct / heldOut.length;
}
const t1 = performance.now();
const greedy = exactMatch('greedy');
const greedyMs = performance.now() - t1;
const t2 = performance.now();
const beam = exactMatch('beam');
const beamMs = performance.now() - t2;
console.log(
  `\ntrained ${result.steps} steps (${result.stopReason}; the best validation at step ${result.best?.step}) in ${((t1 - started) / 1000).toFixed(1)} s`,
);
console.log(
  `held-out exact match on ${heldOut.length}: greedy ${(100 * greedy).toFixed(2)}%  beam 5 ${(100 * beam).toFixed(2)}%`,
);
console.log(
  `decode throughput: greedy ${((heldOut.length / greedyMs) * 1000).toFixed(0)} dates/s, beam 5 ${((heldOut.length / beamMs) * 1000).toFixed(0)} dates/s (batches of 250)`,
);

const example = 'Sunday 3rd March 2019';
const [top] = model.translator.translate([example], { method: 'beam', beamWidth: 5, nBest: 3 });
for (const h of top) console.log(`${example} → ${h.text}  (score ${h.score.toFixed(4)})`);
console.log(model.translator.formatAttention(top[0]));
if (args.save) {
  await saveModel(registry, model, args.save);
  console.log(`saved to ${args.save}`);
}
