// Writes the numbers of the model card (README.md, between `<!-- card:begin -->` and
// `<!-- card:end -->`) from model/model.json and model/metrics.json: what train.ts and
// bench.ts --write recorded, and the verdicts of the shipped model on five example messages.
//
//   node --conditions=@seqzoo/source --import tsx packages/spam-en/scripts/card.ts
import { readFile, rename, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { useBackend } from '@seqzoo/backend';
import { loadSpamFilter } from '../src/spam';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const m = JSON.parse(await readFile(join(root, 'model/metrics.json'), 'utf8'));
const json = JSON.parse(await readFile(join(root, 'model/model.json'), 'utf8'));
const pct = (x: number) => `${(100 * x).toFixed(2)} %`;
const int = (x: number) => Math.round(x).toLocaleString('en-US');
const kb = (x: number) => `${(x / 1024).toFixed(0)} KiB`;
const { training: tr, test: t, subset, bench: b } = m;
const f = json.config.features;
const sizes = await Promise.all(
  ['model.json', 'weights.safetensors', 'metrics.json'].map(
    async (n) => (await stat(join(root, 'model', n))).size,
  ),
);

// Five messages written for the card (none from the corpus), through the shipped model.
const EXAMPLES = [
  'Dear friend, I am a banker in Lagos and need your help to transfer $15,000,000. You will receive 30 % for your assistance. Reply with your bank details.',
  'Get the lowest mortgage rates today! Refinance now and save thousands. No credit check. Click below to unsubscribe.',
  'Hi all, the 2.4 release is tagged. Please test the new IMAP folder code and report bugs on the list before Friday.',
  'Can you send me the slides from yesterday? I want to reuse the chart about latency. Thanks!',
  'Your account has been suspended. Verify your password within 24 hours at the link below to avoid losing access.',
];
await useBackend('wasm');
const filter = await loadSpamFilter();
const verdicts = filter.classify(EXAMPLES);
filter.dispose();

const lines = [
  '| | |',
  '| --- | --- |',
  `| architecture | \`${json.modelId}\`: TF-IDF over word ${f.ngramRange.join('–')}-grams (lower-cased, punctuation split, minDf ${f.minDf}, the ${int(f.maxFeatures)} most frequent terms, L2-normalised) → logistic regression (softmax over ham, spam) |`,
  `| parameters | ${int(b.parameters)} (${int(b.features)} features × 2 classes + 2 biases) |`,
  `| size | ${kb(sizes[0])} model.json (terms and IDF weights), ${kb(sizes[1])} weights.safetensors (float32: int8 would save 120 KiB of ${kb(sizes[0] + sizes[1])}, not worth a quantization error), ${kb(sizes[2])} metrics.json |`,
  `| data | ${tr.data.corpus}, ${int(tr.data.messages)} raw emails; ${tr.data.labels}; ${int(tr.data.duplicatesDropped)} exact duplicate bodies dropped |`,
  `| data license | ${tr.data.license}; the package itself is MIT |`,
  `| text the model reads | ${tr.data.text} |`,
  `| split | ${tr.data.split}; 10 % of the training messages held out for validation during training |`,
  `| training | \`@seqzoo/train\`'s \`fitTask\`, the task's defaults (Adam, lr 0.05, batch 32, ${tr.fit.epochs} epochs), the epoch with the best validation accuracy kept (${pct(tr.fit.kept.value)}, step ${tr.fit.kept.step} of ${tr.fit.steps}); ${tr.fit.seconds} s on ${tr.fit.backend} (load average ${tr.fit.loadAverage}, niced) |`,
  `| training command | \`${tr.command}\` |`,
  `| commit | \`${tr.commit}\` |`,
  '',
  `**Held-out test split** (${int(t.messages)} messages, never trained on or used for any choice; threshold 0.5):`,
  '',
  '| accuracy | spam precision | spam recall | spam F1 | ham flagged as spam | confusion (rows: ham, spam; columns: predicted ham, spam) |',
  '| --- | --- | --- | --- | --- | --- |',
  `| ${pct(t.accuracy)} | ${pct(t.spamPrecision)} | ${pct(t.spamRecall)} | ${pct(t.spamF1)} | ${pct(t.hamFalsePositiveRate)} | ${JSON.stringify(t.confusion)} |`,
  '',
  `The CI subset (the first ${subset.size} test messages; \`src/shipped-model.test.ts\` recomputes it): accuracy ${pct(subset.metrics.accuracy)}, spam F1 ${pct(subset.metrics.spamF1)}, ham flagged ${pct(subset.metrics.hamFalsePositiveRate)}.`,
  '',
  `**Speed** (${b.backend}, ${b.threads ?? 1} thread, Node, ${b.machine.cores} cores, load average ${b.machine.loadAverage} while measured, ${b.measuredAt.slice(0, 10)}; \`scripts/bench.ts\`):`,
  '',
  '| | |',
  '| --- | --- |',
  `| load: \`loadSpamFilter()\` (cold) | ${b.load.loadMs} ms |`,
  `| load: a second time | ${b.load.warmLoadMs} ms |`,
  `| wasm backend start (once per app, before) | ${b.load.backendMs} ms |`,
  `| messages/s, batched (\`classify([...])\`, raw test emails) | ${int(b.messagesPerSecond.batched)} |`,
  `| messages/s, one \`classify\` call each | ${int(b.messagesPerSecond.oneByOne)} |`,
  '',
  '**Five messages** (written for this card, not from the corpus; `scripts/card.ts`):',
  '',
  '| message | verdict | spam probability |',
  '| --- | --- | --- |',
  ...EXAMPLES.map(
    (e, i) => `| ${e} | ${verdicts[i].label} | ${verdicts[i].spamProbability.toFixed(3)} |`,
  ),
];

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
