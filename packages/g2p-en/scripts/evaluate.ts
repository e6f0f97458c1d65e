// WER and PER of the shipped model (or another folder) on CMUdict's whole held-out test split,
// greedy and beam 5, with and without stress; prints JSON. `--write` stores the result as
// `test` in model/metrics.json (what the model card quotes).
//
//   node --conditions=@seqzoo/source --import tsx packages/g2p-en/scripts/evaluate.ts \
//     [--model DIR] [--backend wasm] [--limit N] [--write]
import { readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { useBackend } from '@seqzoo/backend';
import { evaluate, rounded, splitWords } from '../src/evaluation';
import { loadG2P } from '../src/g2p';

const { values: args } = parseArgs({
  options: {
    model: { type: 'string' },
    backend: { type: 'string', default: 'wasm' },
    limit: { type: 'string' },
    write: { type: 'boolean', default: false },
  },
});
const backend = await useBackend(args.backend as 'wasm');
const g2p = await loadG2P({ model: args.model, dictionary: false });
const words = (await splitWords('test')).slice(0, args.limit ? Number(args.limit) : undefined);
const timed = (decode: 'greedy' | 'beam') => {
  const t0 = performance.now();
  const r = rounded(evaluate(g2p, words, { decode, beamWidth: 5 }));
  const seconds = (performance.now() - t0) / 1000;
  return { ...r, wordsPerSecond: Math.round(words.length / seconds) };
};
const result = {
  split: 'test',
  words: words.length,
  backend: backend.backend,
  dtype: g2p.info.model.dtype,
  lengthPenalty: g2p.info.model.lengthPenalty,
  beamWidth: 5,
  greedy: timed('greedy'),
  beam: timed('beam'),
};
g2p.dispose();
console.log(JSON.stringify(result, null, 2));

if (args.write) {
  if (args.model || args.limit) {
    console.error(
      '--write records the shipped model on the whole split: drop --model and --limit.',
    );
    process.exit(2);
  }
  const file = join(dirname(fileURLToPath(import.meta.url)), '../model/metrics.json');
  const metrics = JSON.parse(await readFile(file, 'utf8'));
  metrics.test = result;
  await writeFile(`${file}.tmp`, `${JSON.stringify(metrics, null, 2)}\n`);
  await rename(`${file}.tmp`, file);
  console.error(`wrote test metrics into ${file}`);
}
