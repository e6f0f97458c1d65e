// Speed of @seqzoo/g2p-en on one backend (default wasm, Node): load time (backend ready first;
// the model and CMUdict, each and together), OOV words/s through the model (greedy, batched as
// g2p.words does and one word per call), dictionary words/s (g2p.word on words CMUdict has).
// Prints JSON. A benchmark, not a test: numbers depend on the machine and its load.
//
//   node --conditions=@seqzoo/source --import tsx packages/g2p-en/scripts/bench.ts [--backend wasm] [--runs 3] [--write]
//
// --runs N measures N times, each in a fresh process (cold loads), and gives the median of each
// number with every run under `runs`. --write stores the result as `bench` in model/metrics.json
// (what the model card quotes).
import { execFileSync } from 'node:child_process';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { useBackend } from '@seqzoo/backend';
import * as tf from '@tensorflow/tfjs-core';
import { loadCmudict } from '../src/dictionary';
import { splitWords } from '../src/evaluation';
import { loadG2P } from '../src/g2p';

const { values: args } = parseArgs({
  options: {
    backend: { type: 'string', default: 'wasm' },
    write: { type: 'boolean', default: false },
    runs: { type: 'string', default: '1' },
  },
});
const runs = Number(args.runs);
if (!Number.isInteger(runs) || runs < 1)
  throw new Error(`--runs: a positive integer, got ${args.runs}`);
const self = fileURLToPath(import.meta.url);

/** The median of each number over the runs (same shape as one run); strings from the first. */
function medianOf(results: unknown[]): unknown {
  const [first] = results;
  if (typeof first === 'number') {
    const sorted = (results as number[]).slice().sort((a, b) => a - b);
    return sorted[Math.floor(sorted.length / 2)];
  }
  if (first && typeof first === 'object' && !Array.isArray(first)) {
    return Object.fromEntries(
      Object.keys(first).map((k) => [
        k,
        medianOf(results.map((r) => (r as Record<string, unknown>)[k])),
      ]),
    );
  }
  return first;
}

if (runs > 1) {
  // Each run in a fresh process, so that every load is cold.
  const all = Array.from({ length: runs }, () =>
    JSON.parse(
      execFileSync(process.execPath, [...process.execArgv, self, '--backend', args.backend], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'inherit'],
      }),
    ),
  );
  const result = { ...(medianOf(all) as object), median: `of ${runs} runs`, runs: all };
  console.log(JSON.stringify(result, null, 2));
  if (args.write) await store(result);
  process.exit(0);
}

async function store(result: unknown): Promise<void> {
  const file = join(dirname(self), '../model/metrics.json');
  const metrics = JSON.parse(await readFile(file, 'utf8'));
  metrics.bench = result;
  await writeFile(`${file}.tmp`, `${JSON.stringify(metrics, null, 2)}\n`);
  await rename(`${file}.tmp`, file);
  console.error(`wrote bench into ${file}`);
}
const ms = (t0: number) => Math.round((performance.now() - t0) * 10) / 10;

let t0 = performance.now();
const backend = await useBackend(args.backend as 'wasm');
const backendMs = ms(t0);

// The model alone (first load in this process), then the dictionary alone, then both as
// loadG2P() does (the dictionary module is cached by then, as in an app's second load).
t0 = performance.now();
const modelOnly = await loadG2P({ dictionary: false });
const modelMs = ms(t0);
t0 = performance.now();
const dictionary = await loadCmudict();
const dictionaryMs = ms(t0);
modelOnly.dispose();
t0 = performance.now();
const g2p = await loadG2P();
const warmLoadMs = ms(t0);

// OOV words: test-split words through the model (they are in CMUdict, so the dictionary is off).
const oov = (await splitWords('test')).map(([w]) => w).slice(0, 2000);
g2p.words(oov.slice(0, 50), { dictionary: false }); // warm-up (kernels, caches)
t0 = performance.now();
g2p.words(oov, { dictionary: false });
const batchedPerSecond = Math.round(oov.length / ((performance.now() - t0) / 1000));
const single = oov.slice(0, 300);
t0 = performance.now();
for (const w of single) g2p.word(w, { dictionary: false });
const singlePerSecond = Math.round(single.length / ((performance.now() - t0) / 1000));
t0 = performance.now();
g2p.words(oov.slice(0, 500), { dictionary: false, decode: 'beam' });
const beamPerSecond = Math.round(500 / ((performance.now() - t0) / 1000));

// Dictionary words: one g2p.word call each.
const known = (await splitWords('train')).map(([w]) => w).slice(0, 100_000);
let phonemes = 0;
t0 = performance.now();
for (const w of known) phonemes += g2p.word(w).length;
const dictPerSecond = Math.round(known.length / ((performance.now() - t0) / 1000));

const tensors = tf.memory().numTensors;
const result = {
  backend: backend.backend,
  threads: backend.threads ?? null,
  dtype: g2p.info.model.dtype,
  parameters: g2p.info.model.parameters,
  load: { backendMs, modelMs, dictionaryMs, coldTotalMs: modelMs + dictionaryMs, warmLoadMs },
  oovWordsPerSecond: {
    greedyBatched: batchedPerSecond,
    greedyOneByOne: singlePerSecond,
    beam5Batched: beamPerSecond,
    words: oov.length,
  },
  dictionaryWordsPerSecond: dictPerSecond,
  dictionaryEntries: dictionary.size,
  checks: { phonemes, tensors },
  measuredAt: new Date().toISOString(),
  // Other processes share the cores: the 1-minute load average when the run ended, and cores.
  machine: { loadAverage: Math.round(loadavg()[0] * 10) / 10, cores: cpus().length },
};
g2p.dispose();
console.log(JSON.stringify(result, null, 2));
if (args.write) await store(result);
