// The model card's example table: five words CMUdict lacks, with the model's greedy output and
// its beam-search alternatives (scores: log-probability over the length penalty). Prints Markdown.
//
//   node --conditions=@seqzoo/source --import tsx packages/g2p-en/scripts/examples.ts [--write] [words…]
//
// --write stores them as `examples` in model/metrics.json (what the model card shows).
import { readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { useBackend } from '@seqzoo/backend';
import { loadG2P } from '../src/g2p';

const write = process.argv.includes('--write');
const words = process.argv.slice(2).filter((a) => a !== '--write');
if (words.length === 0) words.push('seqzoo', 'zorbl', 'tensorflowjs', 'blorptastic', 'kwyjibo');
await useBackend('wasm');
const g2p = await loadG2P();
const examples = words.map((word) => ({
  word,
  inDictionary: g2p.dictionary?.has(word.toLowerCase()) ?? false,
  greedy: g2p.word(word, { dictionary: false }),
  nBest: g2p
    .word(word, { nBest: 3, dictionary: false })
    .map((p) => ({ phonemes: p.phonemes, score: Math.round((p.score ?? 0) * 1000) / 1000 })),
}));
g2p.dispose();
console.log('| word | greedy | beam 5: 3 best (score) |');
console.log('| --- | --- | --- |');
for (const e of examples) {
  const best = e.nBest.map((p) => `${p.phonemes.join(' ')} (${p.score.toFixed(2)})`).join('<br>');
  console.log(
    `| ${e.word}${e.inDictionary ? ' (in CMUdict)' : ''} | ${e.greedy.join(' ')} | ${best} |`,
  );
}
if (write) {
  const file = join(dirname(fileURLToPath(import.meta.url)), '../model/metrics.json');
  const metrics = JSON.parse(await readFile(file, 'utf8'));
  metrics.examples = examples;
  await writeFile(`${file}.tmp`, `${JSON.stringify(metrics, null, 2)}\n`);
  await rename(`${file}.tmp`, file);
  console.error(`wrote examples into ${file}`);
}
