// Writes the numbers of the model card (README.md, between `<!-- card:begin -->` and
// `<!-- card:end -->`) from model/model.json and model/metrics.json: what pack-weights.ts,
// evaluate.ts --write, bench.ts --write and examples.ts --write recorded. Nothing is measured
// here, so the card says exactly what the files say.
//
//   node --conditions=@seqzoo/source --import tsx packages/g2p-en/scripts/card.ts
import { readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const json = JSON.parse(await readFile(join(root, 'model/model.json'), 'utf8'));
const m = JSON.parse(await readFile(join(root, 'model/metrics.json'), 'utf8'));
const pkg = json.training.package;
const pct = (x: number | undefined) => (x === undefined ? '—' : `${(100 * x).toFixed(2)} %`);
const int = (x: number | undefined) =>
  x === undefined ? '—' : Math.round(x).toLocaleString('en-US');
const c = json.config;

/** Steps, epochs, minutes, backend and workers, as far as the training record has them. */
function trainingLine(t: Record<string, unknown>): string {
  const parts = [`${int(t.steps as number)} steps`];
  if (typeof t.epochs === 'number') parts.push(`${t.epochs} epochs`);
  const minutes =
    typeof t.minutes === 'number'
      ? `${t.minutes.toFixed(1)} min`
      : t.stopReason === 'maxMinutes' && typeof t.maxMinutes === 'number'
        ? `${t.maxMinutes} min (the --max-minutes budget)`
        : null;
  if (minutes) parts.push(minutes);
  const on = `on ${(t.backend as string | undefined) ?? 'wasm'}${typeof t.workers === 'number' && t.workers > 1 ? ` with ${t.workers} workers` : ''}`;
  return `${parts.join(', ')} ${on}`;
}

const lines: string[] = [];
if (pkg.placeholder) {
  lines.push(
    '> **PLACEHOLDER MODEL.** The weights in this version are a 2-minute stand-in trained to build',
    '> and test the package; every number below is the placeholder’s, not the real model’s.',
    '',
  );
}
lines.push(
  '| | |',
  '| --- | --- |',
  `| architecture | \`${json.modelId}\`: ${c.cell.toUpperCase()} ${c.bidirectional ? 'bidirectional ' : ''}encoder, ${c.attention} attention, hidden ${c.hiddenSize}, embedding ${c.embeddingSize}, ${c.numLayers} layer(s), dropout ${c.dropout} |`,
  `| parameters | ${int(m.bench?.parameters)} |`,
  `| weights | ${m.weights.dtype} (${m.weights.dtype === 'int8' ? 'per-channel scales; vectors float16' : 'IEEE half'}), ${int(m.weights.bytes)} bytes, SHA-256 \`${m.weights.sha256.slice(0, 16)}…\` |`,
  `| float32 weights it was packed from | ${int(pkg.source.bytes)} bytes, SHA-256 \`${String(pkg.source.sha256).slice(0, 16)}…\` |`,
  `| training | ${trainingLine(json.training)} |`,
  `| training command | \`${pkg.command ?? '(not recorded)'}\` |`,
  `| commit | \`${pkg.commit ?? '(not recorded)'}\` |`,
  `| beam search | width 5, length penalty α = ${pkg.lengthPenalty} (chosen on validation words) |`,
  '',
);

const t = m.test;
lines.push(
  t
    ? `**Held-out test split** (${int(t.words)} words, never trained on or used for any choice; ${t.backend}, ${t.dtype} weights):`
    : '**Held-out test split**: not measured yet (`scripts/evaluate.ts --write`).',
  '',
  '| decoding | WER with stress | PER with stress | WER without stress | PER without stress | words/s |',
  '| --- | --- | --- | --- | --- | --- |',
);
for (const [name, r] of [
  ['greedy', t?.greedy],
  ['beam 5', t?.beam],
] as const) {
  lines.push(
    `| ${name} | ${pct(r?.stress.wer)} | ${pct(r?.stress.per)} | ${pct(r?.noStress.wer)} | ${pct(r?.noStress.per)} | ${int(r?.wordsPerSecond)} |`,
  );
}
const s = m.subset;
lines.push(
  '',
  `The CI subset (${s.words} test words spread over the split; \`src/shipped-model.test.ts\` recomputes these): greedy WER ${pct(s.greedy.stress.wer)} / ${pct(s.greedy.noStress.wer)} without stress, beam 5 ${pct(s.beam.stress.wer)} / ${pct(s.beam.noStress.wer)}.`,
  '',
);
const b = m.bench;
// With --runs N: each number is the median of the runs, and its range follows it.
const runs: Record<string, unknown>[] = b?.runs ?? [];
const pick = (o: unknown, path: string) =>
  path.split('.').reduce<unknown>((v, k) => (v as Record<string, unknown>)?.[k], o) as number;
const range = (path: string, f: (x: number) => string = String) => {
  if (runs.length < 2) return '';
  const xs = runs.map((r) => pick(r, path));
  return ` (${f(Math.min(...xs))}–${f(Math.max(...xs))})`;
};
if (b) {
  const loads = runs.map((r) => pick(r, 'machine.loadAverage'));
  const machine = b.machine
    ? `${b.machine.cores} cores, load average ${runs.length > 1 ? `${Math.min(...loads)}–${Math.max(...loads)}` : b.machine.loadAverage} while measured`
    : "this project's 2-core machine";
  lines.push(
    `**Speed** (${b.backend}, ${b.threads ?? 1} thread, Node, ${machine}, ${b.measuredAt?.slice(0, 10) ?? ''}; \`scripts/bench.ts${runs.length > 1 ? ` --runs ${runs.length}` : ''}\`${runs.length > 1 ? `: the median of ${runs.length} fresh processes, their range in brackets` : ''}):`,
    '',
    '| | |',
    '| --- | --- |',
    `| load: model (cold) | ${b.load.modelMs} ms${range('load.modelMs')} |`,
    `| load: CMUdict (cold) | ${b.load.dictionaryMs} ms${range('load.dictionaryMs')} |`,
    `| load: both, \`loadG2P()\` a second time | ${b.load.warmLoadMs} ms${range('load.warmLoadMs')} |`,
    `| wasm backend start (once per app, before) | ${b.load.backendMs} ms${range('load.backendMs')} |`,
    `| OOV words/s, greedy, batched (\`g2p.words\`) | ${int(b.oovWordsPerSecond.greedyBatched)}${range('oovWordsPerSecond.greedyBatched', int)} |`,
    `| OOV words/s, greedy, one \`g2p.word\` call each | ${int(b.oovWordsPerSecond.greedyOneByOne)}${range('oovWordsPerSecond.greedyOneByOne', int)} |`,
    `| OOV words/s, beam 5, batched | ${int(b.oovWordsPerSecond.beam5Batched)}${range('oovWordsPerSecond.beam5Batched', int)} |`,
    `| dictionary words/s (\`g2p.word\`) | ${int(b.dictionaryWordsPerSecond)}${range('dictionaryWordsPerSecond', int)} |`,
    '',
  );
} else lines.push('**Speed**: not measured yet (`scripts/bench.ts --write`).', '');
if (m.examples) {
  lines.push(
    '**Five words CMUdict lacks** (`scripts/examples.ts`):',
    '',
    '| word | greedy | beam 5: three best (score) |',
    '| --- | --- | --- |',
  );
  for (const e of m.examples) {
    const best = e.nBest
      .map(
        (p: { phonemes: string[]; score: number }) =>
          `${p.phonemes.join(' ')} (${p.score.toFixed(2)})`,
      )
      .join('<br>');
    lines.push(`| ${e.word} | ${e.greedy.join(' ')} | ${best} |`);
  }
  lines.push('');
}

const readme = join(root, 'README.md');
const text = await readFile(readme, 'utf8');
const begin = text.indexOf('<!-- card:begin -->');
const end = text.indexOf('<!-- card:end -->');
if (begin < 0 || end < begin)
  throw new Error(`${readme} lacks the <!-- card:begin --> … <!-- card:end --> markers`);
const out = `${text.slice(0, begin)}<!-- card:begin -->\n<!-- written by scripts/card.ts from model/metrics.json: do not edit by hand -->\n\n${lines.join('\n')}\n${text.slice(end)}`;
await writeFile(`${readme}.tmp`, out);
await rename(`${readme}.tmp`, readme);
console.log(`wrote the card's numbers into ${readme}`);
