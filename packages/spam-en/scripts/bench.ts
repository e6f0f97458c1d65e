// Speed of @seqzoo/spam-en on one backend (default wasm, Node): load time (backend ready first),
// messages/s (the test split's raw emails, batched as classify([...]) does, and one call each).
// Prints JSON. A benchmark, not a test: numbers depend on the machine and its load.
//
//   node --conditions=@seqzoo/source --import tsx packages/spam-en/scripts/bench.ts [--backend wasm] [--write]
//
// --write stores the result as `bench` in model/metrics.json (what the model card quotes).
import { readFile, rename, writeFile } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { useBackend } from '@seqzoo/backend';
import * as tf from '@tensorflow/tfjs-core';
import { loadSpamFilter } from '../src/spam';
import { loadCorpus } from './corpus';

const { values: args } = parseArgs({
  options: {
    backend: { type: 'string', default: 'wasm' },
    write: { type: 'boolean', default: false },
  },
});
const ms = (t0: number) => Math.round((performance.now() - t0) * 10) / 10;

let t0 = performance.now();
const backend = await useBackend(args.backend as 'wasm');
const backendMs = ms(t0);
t0 = performance.now();
const filter = await loadSpamFilter();
const loadMs = ms(t0);
t0 = performance.now();
const again = await loadSpamFilter();
const warmLoadMs = ms(t0);
again.dispose();

const messages = loadCorpus().test.map((m) => m.raw);
filter.classify(messages.slice(0, 20)); // warm-up
t0 = performance.now();
const verdicts = filter.classify(messages);
const batchedPerSecond = Math.round(messages.length / ((performance.now() - t0) / 1000));
const single = messages.slice(0, 300);
t0 = performance.now();
for (const m of single) filter.classify(m);
const singlePerSecond = Math.round(single.length / ((performance.now() - t0) / 1000));

const result = {
  backend: backend.backend,
  threads: backend.threads ?? null,
  parameters: filter.info.model.parameters,
  features: filter.info.model.features,
  load: { backendMs, loadMs, warmLoadMs },
  messagesPerSecond: {
    batched: batchedPerSecond,
    oneByOne: singlePerSecond,
    messages: messages.length,
  },
  checks: {
    spam: verdicts.filter((v) => v.label === 'spam').length,
    tensors: tf.memory().numTensors,
  },
  measuredAt: new Date().toISOString(),
  machine: { loadAverage: Math.round(loadavg()[0] * 10) / 10, cores: cpus().length },
};
filter.dispose();
console.log(JSON.stringify(result, null, 2));
if (args.write) {
  const file = join(dirname(fileURLToPath(import.meta.url)), '../model/metrics.json');
  const metrics = JSON.parse(await readFile(file, 'utf8'));
  metrics.bench = result;
  await writeFile(`${file}.tmp`, `${JSON.stringify(metrics, null, 2)}\n`);
  await rename(`${file}.tmp`, file);
  console.error(`wrote bench into ${file}`);
}
