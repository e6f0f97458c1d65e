// One configuration of the cores suite's data-parallel table, in its own process (a wasm
// backend's thread count is fixed when it starts): trains a registered model through fitTask
// with `workers` and prints the median and minimum milliseconds per optimizer step as JSON.
//
//   node --conditions=@seqzoo/source --import tsx bench/src/workers/child.ts <workload> <threads> <workers> <steps>
import { useBackend } from '@seqzoo/backend';
import { loadCmudict } from '@seqzoo/data';
import { createRegistry, type Task } from '@seqzoo/registry';
import { seq2seqPlugin } from '@seqzoo/seq2seq';
import { fitTask } from '@seqzoo/train';
import { zooPlugin } from '@seqzoo/zoo';
import { summarize } from '../rnn/table';

const WARMUP = 3;

const [workload, threadsArg, workersArg, stepsArg] = process.argv.slice(2);
const threads = Number(threadsArg);
const workers = Number(workersArg);
const steps = Number(stepsArg);
const info = await useBackend('wasm', { threads });
const registry = createRegistry({ plugins: [zooPlugin, seq2seqPlugin] });

/** Random lower-case texts of `length` characters with one of two labels. */
function texts(n: number, length: number) {
  let s = 12345;
  const next = () => {
    s = (s * 1103515245 + 12345) >>> 0;
    return s;
  };
  return Array.from({ length: n }, () => ({
    text: Array.from({ length }, () => String.fromCharCode(97 + ((next() >>> 16) % 26))).join(''),
    label: (next() >>> 16) % 2 ? 'a' : 'b',
  }));
}

async function setUp() {
  const total = WARMUP + steps;
  if (workload === 'g2p-train') {
    // The G2P recipe's model (hidden 256, phonemes as words) on CMUdict batches of 128: a fixed
    // sample of 51 batches' words from the whole split, enough for the task to sort them by
    // length within a pool as a real run's batches are (unsorted batches cost twice as much).
    let s = 2024;
    const all = await loadCmudict({ split: 'train' });
    for (let i = all.length - 1; i > 0; i--) {
      s = (s * 1103515245 + 12345) >>> 0;
      const j = s % (i + 1);
      [all[i], all[j]] = [all[j], all[i]];
    }
    const train = all
      .slice(0, 128 * 51)
      .map((e) => ({ source: e.word, target: e.phonemes.join(' ') }));
    const config = { targetTokens: 'words', hiddenSize: 256, dropout: 0.2, seed: 1 } as const;
    const task = registry.definition('seq2seq:attention').task!;
    const vocabularies = task.vocabularies!(train, config);
    const model = await registry.create('seq2seq:attention', config, { vocabularies });
    return { model, task, train, batchSize: 128 };
  }
  // The rnn suite's M shape as a classifier: batch 64, 64 steps, embedding 128, hidden 256.
  const cell = workload.startsWith('gru') ? ('gru' as const) : ('lstm' as const);
  const train = texts(64 * total, 64);
  const config = {
    text: { unit: 'char' as const },
    cell,
    hiddenSize: 256,
    embeddingSize: 128,
    maxLength: 64,
    seed: 1,
  };
  const task = registry.definition('zoo:rnn-classifier').task!;
  const vocabularies = task.vocabularies?.(train, config);
  const model = await registry.create('zoo:rnn-classifier', config, { vocabularies });
  return { model, task, train, batchSize: 64 };
}

const { model, task, train, batchSize } = await setUp();
const times: number[] = [];
let last = 0;
await fitTask(
  model,
  task as Task<never, unknown, unknown>,
  { train },
  {
    workers,
    maxSteps: WARMUP + steps,
    batchSize,
    validationSplit: 0,
    averageDecay: 0,
    callbacks: {
      onBatchEnd: () => {
        const now = performance.now();
        if (last) times.push(now - last);
        last = now;
      },
    },
  },
);
model.dispose();
console.log(
  JSON.stringify({ threads: info.threads ?? 1, workers, ...summarize(times.slice(WARMUP - 1)) }),
);
