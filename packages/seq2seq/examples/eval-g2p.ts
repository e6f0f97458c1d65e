// Evaluates a G2P model trained by `seqzoo train seq2seq:attention --dataset cmudict --out DIR`
// on the CMUdict test split: beam search's length penalty chosen on validation words (or
// given), then WER and PER greedy and with beam 5 (`seqzoo eval` reports greedy only).
//
//   node --conditions=@seqzoo/source --import tsx packages/seq2seq/examples/eval-g2p.ts DIR \
//     [--backend wasm] [--alpha auto|α] [--test-limit N] [--stress]
import { parseArgs } from 'node:util';
import { loadModel } from '@seqzoo/registry';
import type { Seq2SeqModel } from '../src/index';
import {
  byWord,
  chooseAlpha,
  evaluateG2P,
  loadG2PData,
  percent,
  registry,
  selectionWords,
} from './g2p-setup';

const { values: args, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    backend: { type: 'string', default: 'wasm' },
    alpha: { type: 'string', default: 'auto' },
    'test-limit': { type: 'string' },
    // A model trained on --dataset cmudict-stress: references keep their stress digits.
    stress: { type: 'boolean', default: false },
  },
});
if (positionals.length !== 1) {
  console.error(
    'usage: eval-g2p.ts MODEL_DIR [--backend wasm] [--alpha auto|α] [--test-limit N] [--stress]',
  );
  process.exit(2);
}

const { validation, test } = await loadG2PData(args.stress);
const { model } = await loadModel<Seq2SeqModel>(registry, positionals[0], {
  backend: args.backend as 'wasm',
});
const t = model.translator;
const testWords = byWord(test).slice(
  0,
  args['test-limit'] ? Number(args['test-limit']) : undefined,
);
const alpha = chooseAlpha(t, selectionWords(validation), args.alpha);
for (const [name, options] of [
  ['greedy', { method: 'greedy' }],
  [`beam 5 (α ${alpha})`, { method: 'beam', beamWidth: 5, lengthPenalty: alpha }],
] as const) {
  const r = evaluateG2P(t, testWords, options);
  console.log(
    `test (${testWords.length} words): ${name} WER ${percent(r.wer)}  PER ${percent(r.per)}`,
  );
}
