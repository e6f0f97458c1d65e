import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { useBackend } from '@seqzoo/backend';
import { Rng } from '@seqzoo/data';
import type { Module } from '@seqzoo/layers';
import { adam } from '@seqzoo/optimizers';
import { exportPytorchState, exportWeights, importWeights, saveModel } from '@seqzoo/registry';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BowClassifier } from './bow/bow-classifier';
import { denseBatch } from './bow/bow-classifier';
import { type RecurrentLM, sequenceNll } from './lm/recurrent-lm';
import { classifierLoss, type Mlp } from './mlp/mlp';
import type { RnnClassifier } from './rnn/rnn-classifier';
import { registry, saveAndLoad } from './testing/round-trip';
import { makeTokenizer } from './text/text-vocab';

// The PyTorch twins (pytorch/seqzoo_zoo.py) run by Debian's /usr/bin/python3 with python3-torch.
// Without torch these tests are skipped, unless SEQZOO_REQUIRE_TORCH=1 (CI).
const PYTHON = '/usr/bin/python3';
const SCRIPT = fileURLToPath(new URL('../pytorch/roundtrip.py', import.meta.url));
const hasTorch = spawnSync(PYTHON, ['-c', 'import torch'], { stdio: 'ignore' }).status === 0;
const run = hasTorch || process.env.SEQZOO_REQUIRE_TORCH === '1';
if (!run) {
  console.warn(
    `pytorch-twin.test.ts: skipped, ${PYTHON} cannot import torch (apt-get install python3-torch; SEQZOO_REQUIRE_TORCH=1 makes this a failure).`,
  );
}
const dir = mkdtempSync(join(tmpdir(), 'zoo-torch-'));

beforeAll(async () => {
  await useBackend('cpu');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Reply {
  names: string[];
  grads?: Record<string, number[]>;
  logits: number[];
  logitsShape: number[];
  greedy?: number[][];
}

/** Runs every round trip in one Python process (torch takes seconds to import). */
function python(requests: unknown[]): Reply[] {
  const req = join(dir, 'requests.json');
  const res = join(dir, 'responses.json');
  writeFileSync(req, JSON.stringify(requests));
  execFileSync(PYTHON, [SCRIPT, req, res], { stdio: ['ignore', 'ignore', 'inherit'] });
  return JSON.parse(readFileSync(res, 'utf8'));
}

/** Largest |a − b|. */
function maxAbs(a: ArrayLike<number>, b: readonly number[]): number {
  if (a.length !== b.length) return Number.POSITIVE_INFINITY;
  let w = 0;
  for (let i = 0; i < a.length; i++) w = Math.max(w, Math.abs(a[i] - b[i]));
  return w;
}

/** Largest |a − b| / max(1, |b|). */
function relError(a: ArrayLike<number>, b: readonly number[]): number {
  if (a.length !== b.length) return Number.POSITIVE_INFINITY;
  let w = 0;
  for (let i = 0; i < a.length; i++)
    w = Math.max(w, Math.abs(a[i] - b[i]) / Math.max(1, Math.abs(b[i])));
  return w;
}

/** The measured max |seqzoo − PyTorch| per case and direction, printed at the end. */
const measured: Record<string, number> = {};

// A vocabulary as a PyTorch script keeps it: only padding reserved (id 0), '\n' ends a text
// (id 1), no unk, no bos. seqzoo must keep these ids.
const torchCharVocab = {
  tokens: ['<pad>', '\n', 'a', 'b', 'c', 'd', 'e', 'n', 'o', 'r'],
  specials: { pad: 0, unk: null, bos: null, eos: 1 },
};
// A word vocabulary with pad and unk but no bos/eos, at its own ids.
const torchWordVocab = {
  tokens: ['<unk>', 'good', 'bad', '<pad>', 'film', 'plot', 'very', 'not', 'the', 'a'],
  specials: { pad: 3, unk: 0, bos: null, eos: null },
};

type Kind = 'lm' | 'rnn-classifier' | 'mlp' | 'bow-classifier';

interface Case {
  label: string;
  kind: Kind;
  id: string;
  config: Record<string, unknown>;
  /** Vocabularies given to `registry.create` (a PyTorch-side vocabulary, or none). */
  vocabularies?: Record<string, unknown>;
  /** Texts (and labels) the model learns its vocabulary from when none is given. */
  texts?: string[];
  labels?: string[];
  prompts?: string[];
}

const cases: Case[] = [
  {
    label: 'char-lm LSTM×2, dropout, seqzoo vocabulary',
    kind: 'lm',
    id: 'zoo:char-lm',
    config: { embeddingSize: 5, hiddenSize: 6, numLayers: 2, dropout: 0.1 },
    texts: ['anna', 'bob', 'carol', 'dora', 'ed'],
    prompts: ['', 'an'],
  },
  {
    label: 'char-lm GRU, tied embeddings, PyTorch vocabulary (pad 0, eos "\\n", no unk/bos)',
    kind: 'lm',
    id: 'zoo:char-lm',
    config: { embeddingSize: 6, hiddenSize: 6, cell: 'gru', tieEmbeddings: true },
    vocabularies: { text: torchCharVocab },
    prompts: ['', 'do'],
  },
  {
    label: 'word-lm RNN, seqzoo vocabulary',
    kind: 'lm',
    id: 'zoo:word-lm',
    config: { embeddingSize: 4, hiddenSize: 5, cell: 'rnn' },
    texts: ['the cat sat', 'a dog ran far', 'the dog sat'],
    prompts: ['', 'the', 'a dog'],
  },
  {
    label: 'rnn-classifier bidirectional LSTM, last state',
    kind: 'rnn-classifier',
    id: 'zoo:rnn-classifier',
    config: { embeddingSize: 4, hiddenSize: 5, bidirectional: true, pooling: 'last' },
    texts: ['good film', 'bad plot', 'very good', 'not good at all'],
    labels: ['pos', 'neg', 'pos', 'neg'],
  },
  {
    label: 'rnn-classifier GRU×2 mean pooling, PyTorch vocabulary (pad 3, unk 0), 3 classes',
    kind: 'rnn-classifier',
    id: 'zoo:rnn-classifier',
    config: { embeddingSize: 4, hiddenSize: 5, cell: 'gru', numLayers: 2, pooling: 'mean' },
    vocabularies: { text: torchWordVocab, labels: ['neg', 'neutral', 'pos'] },
  },
  {
    label: 'rnn-classifier RNN max pooling, sigmoid',
    kind: 'rnn-classifier',
    id: 'zoo:rnn-classifier',
    config: { embeddingSize: 3, hiddenSize: 4, cell: 'rnn', pooling: 'max', output: 'sigmoid' },
    texts: ['win cash now', 'lunch at noon', 'free prize', 'team notes'],
    labels: ['spam', 'ham', 'spam', 'ham'],
  },
  {
    label: 'mlp tanh/gelu, softmax',
    kind: 'mlp',
    id: 'zoo:mlp',
    config: { inputSize: 6, hiddenSizes: [5, 4], activation: ['tanh', 'gelu'], outputSize: 3 },
  },
  {
    label: 'mlp elu, two sigmoid outputs',
    kind: 'mlp',
    id: 'zoo:mlp',
    config: { inputSize: 5, hiddenSizes: [4], activation: 'elu', output: 'sigmoid', outputSize: 2 },
  },
  {
    label: 'bow-classifier, one hidden layer',
    kind: 'bow-classifier',
    id: 'zoo:bow-classifier',
    config: { features: { minDf: 1 }, hiddenSizes: [4] },
    texts: ['free cash prize', 'team lunch notes', 'cash offer now', 'review the notes'],
    labels: ['spam', 'ham', 'spam', 'ham'],
  },
];

/** A model of the case, its vocabulary learnt from the case's texts or given. */
async function create(c: Case, seed: number): Promise<Module> {
  const config = { ...c.config, seed };
  const model = (await registry.create(c.id, config, { vocabularies: c.vocabularies })) as Module;
  if (c.texts && c.kind === 'lm') (model as unknown as RecurrentLM).prepare(c.texts);
  if (c.texts && c.labels && c.kind !== 'lm')
    (model as unknown as RnnClassifier).prepare(c.texts, c.labels);
  return model.eval();
}

/** Moves every weight off its initial value (biases start at zero). */
function move(model: Module): void {
  const moved = new Map(
    [...model.stateDict()].map(
      ([k, t], i) => [k, tf.randomNormal(t.shape, 0, 0.4, 'float32', i + 7)] as const,
    ),
  );
  model.loadStateDict(moved);
  tf.dispose([...moved.values()]);
}

/** The batch of a case (ids with the pad id inside a text, so that its gradient shows). */
function batchOf(c: Case, model: Module): Record<string, unknown> {
  const rng = new Rng(3);
  if (c.kind === 'lm') {
    const lm = model as unknown as RecurrentLM;
    const V = lm.vocab.size;
    const row = () => Array.from({ length: 6 }, () => rng.int(V));
    const input = [row(), row(), row()];
    input[0][2] = lm.vocab.specials.pad ?? 0;
    // Targets without eos: PyTorch's training then favours text, so greedy generation runs on.
    const eos = lm.vocab.eosId;
    const target = [row(), row(), row()].map((r) =>
      r.map((id) => (id === eos ? (id + 1) % V : id)),
    );
    return { input, target };
  }
  if (c.kind === 'rnn-classifier') {
    const rc = model as unknown as RnnClassifier;
    const V = rc.vocab.size;
    const pad = rc.vocab.specials.pad ?? 0;
    const lengths = [5, 2, 4, 1];
    const ids = lengths.map((n) => Array.from({ length: 5 }, (_, t) => (t < n ? rng.int(V) : pad)));
    ids[0][1] = pad; // a pad id read as a token: its embedding row gets no gradient
    const classes = rc.labels.length;
    const y = lengths.map((_, i) => (rc.config.output === 'sigmoid' ? i % 2 : i % classes));
    return { ids, lengths, y };
  }
  if (c.kind === 'mlp') {
    const m = model as unknown as Mlp;
    const { inputSize, outputSize, output } = m.config;
    const x = Array.from({ length: 4 }, () =>
      Array.from({ length: inputSize }, () => 2 * rng.float() - 1),
    );
    const y =
      output === 'sigmoid'
        ? x.map((_, i) => Array.from({ length: outputSize }, (_, j) => (i + j) % 2))
        : x.map((_, i) => i % outputSize);
    return { x, y };
  }
  const bow = model as unknown as BowClassifier;
  const texts = c.texts ?? [];
  const x = tf.tidy(() =>
    denseBatch(
      texts.map((t) => bow.features.transform(t)),
      bow.features.size,
    ).arraySync(),
  );
  return { x, y: (c.labels ?? []).map((l) => bow.labels.indexOf(l)) };
}

/** seqzoo's logits of the case's batch (the LM from the zero state). */
function logitsOf(c: Case, model: Module, batch: Record<string, unknown>): tf.Tensor {
  return tf.tidy(() => {
    if (c.kind === 'lm') {
      const { logits } = (model as unknown as RecurrentLM).forward(
        tf.tensor2d(batch.input as number[][], undefined, 'int32'),
      );
      return logits;
    }
    if (c.kind === 'rnn-classifier') {
      return (model as unknown as RnnClassifier).forward(
        tf.tensor2d(batch.ids as number[][], undefined, 'int32'),
        batch.lengths as number[],
      );
    }
    const mlp = c.kind === 'mlp' ? model : (model.namedChildren().get('head') as Module);
    return (mlp as unknown as Mlp).forward(tf.tensor2d(batch.x as number[][]));
  });
}

/** The gradient of the batch loss with respect to the embedding table. */
function embeddingGrad(c: Case, model: Module, batch: Record<string, unknown>): tf.Tensor {
  const weight = model.namedParameters().get('embedding.weight') as tf.Variable;
  return tf.tidy(() => {
    const { grads } = tf.variableGrads(() => {
      const logits = logitsOf(c, model, batch);
      if (c.kind === 'lm') return sequenceNll(logits, tf.tensor2d(batch.target as number[][]));
      const rc = model as unknown as RnnClassifier;
      return classifierLoss(logits, tf.tensor1d(batch.y as number[], 'int32'), rc.config.output);
    }, [weight]);
    return grads[weight.name];
  });
}

/** Greedy continuations (temperature 0) as seqzoo generates them (one at least non-empty). */
function greedyOf(c: Case, model: Module): string[] {
  const lm = model as unknown as RecurrentLM;
  const out = (c.prompts ?? []).map((prompt) =>
    lm.generate({ prompt, temperature: 0, maxLength: 12 }),
  );
  expect(out.some((text, i) => text.length > (c.prompts ?? [])[i].length)).toBe(true);
  return out;
}

/** Python's greedy ids as the text seqzoo's generate would give. */
function greedyText(c: Case, model: Module, ids: number[][]): string[] {
  const lm = model as unknown as RecurrentLM;
  const tokenizer = makeTokenizer(lm.config.text);
  return (c.prompts ?? []).map((prompt, i) =>
    tokenizer.detokenize([
      ...tokenizer.tokenize(prompt),
      ...ids[i].map((id) => lm.vocab.tokenOf(id)),
    ]),
  );
}

/** The twin's request fields of a model: config, vocabulary, labels, sizes. */
function twinOf(c: Case, model: Module): Record<string, unknown> {
  const m = model as unknown as { config: Record<string, unknown> };
  const out: Record<string, unknown> = { model: c.kind, config: m.config };
  if (c.kind === 'lm' || c.kind === 'rnn-classifier')
    out.vocab = (model as unknown as RecurrentLM).vocab.toJSON();
  if (c.kind === 'rnn-classifier' || c.kind === 'bow-classifier')
    out.labels = (model as unknown as RnnClassifier).labels;
  if (c.kind === 'bow-classifier')
    out.numFeatures = (model as unknown as BowClassifier).features.size;
  if (c.kind === 'lm') {
    const lm = model as unknown as RecurrentLM;
    out.prompts = (c.prompts ?? []).map((p) => lm.encode(p));
    out.maxLength = 12;
  }
  return out;
}

describe.runIf(run)('the PyTorch twins of the zoo models (pytorch/seqzoo_zoo.py)', () => {
  // Per case: [seqzoo → PyTorch, PyTorch init + 5 Adam steps → seqzoo, seqzoo → 5 Adam steps in
  // PyTorch → seqzoo, the saved folder → load_saved], from one Python run.
  const replies: Reply[][] = [];
  const batches: Record<string, unknown>[] = [];
  const file = (n: number, what: string) => join(dir, `${n}-${what}.safetensors`);

  beforeAll(async () => {
    const requests: unknown[] = [];
    for (const [n, c] of cases.entries()) {
      const model = await create(c, 11);
      move(model);
      await exportWeights(model, file(n, 'seqzoo'));
      await saveModel(registry, model, join(dir, `${n}-saved`));
      const batch = batchOf(c, model);
      batches.push(batch);
      const twin = { ...twinOf(c, model), batch };
      model.dispose();
      requests.push(
        { ...twin, load: file(n, 'seqzoo'), grads: true },
        { ...twin, seed: 5 + n, trainSteps: 5, lr: 0.02, save: file(n, 'torch-init') },
        { ...twin, load: file(n, 'seqzoo'), trainSteps: 5, lr: 0.02, save: file(n, 'torch-tuned') },
        { ...twin, saved: join(dir, `${n}-saved`) },
      );
    }
    const all = python(requests);
    for (let i = 0; i < all.length; i += 4) replies.push(all.slice(i, i + 4));
  }, 180_000);

  afterAll(() => {
    if (Object.keys(measured).length) console.log('max |seqzoo − PyTorch|', measured);
  });

  cases.forEach((c, n) => {
    it(`${c.label}: seqzoo → export (and saved folder) → PyTorch: strict load, same logits${c.kind === 'lm' ? ', same greedy text' : ''}`, async () => {
      const model = await create(c, 11);
      move(model);
      const reply = replies[n][0];
      const names = [...exportPytorchState(model)].map(([k, t]) => {
        t.dispose();
        return k;
      });
      expect([...reply.names].sort()).toEqual(names.sort());
      const logits = logitsOf(c, model, batches[n]);
      expect(logits.shape).toEqual(reply.logitsShape);
      const data = await logits.data();
      measured[`${c.label} | seqzoo→PyTorch logits`] = maxAbs(data, reply.logits);
      expect(relError(data, reply.logits)).toBeLessThan(1e-5);
      if (c.kind === 'lm') expect(greedyOf(c, model)).toEqual(greedyText(c, model, reply.greedy!));
      // The saved model folder (model.json + weights.safetensors) → load_saved: the same twin.
      const saved = replies[n][3];
      expect(saved.names).toEqual(reply.names);
      expect(relError(data, saved.logits)).toBeLessThan(1e-5);
      if (c.kind === 'lm') expect(saved.greedy).toEqual(reply.greedy);
      tf.dispose(logits);
      model.dispose();
    });

    if (c.kind === 'lm' || c.kind === 'rnn-classifier') {
      it(`${c.label}: the embedding gradient equals PyTorch's, the padding row's is zero`, async () => {
        const model = await create(c, 11);
        move(model);
        const before = tf.memory().numTensors;
        const grad = embeddingGrad(c, model, batches[n]);
        const data = await grad.data();
        const pad = (model as unknown as RecurrentLM).vocab.specials.pad as number;
        const E = grad.shape[1] as number;
        // (Tied embeddings: the output layer's share of the pad row's gradient stays, as in
        // PyTorch, where padding_idx masks the lookup's gradient only.)
        if (!c.config.tieEmbeddings)
          expect(data.slice(pad * E, (pad + 1) * E).every((v) => v === 0)).toBe(true);
        // The pad id is read in the batch: without paddingIdx its row's gradient would not be 0.
        expect(data.some((v) => v !== 0)).toBe(true);
        const torch = replies[n][0].grads!['embedding.weight'];
        measured[`${c.label} | embedding gradient`] = maxAbs(data, torch);
        expect(relError(data, torch)).toBeLessThan(1e-5);
        grad.dispose();
        expect(tf.memory().numTensors).toBe(before);
        model.dispose();
      });
    }

    it(`${c.label}: PyTorch (random init, 5 Adam steps) → safetensors → seqzoo import: same logits${c.kind === 'lm' ? ' and greedy text' : ''}`, async () => {
      const model = await create(c, 3);
      const reply = replies[n][1];
      const before = tf.memory().numTensors;
      await importWeights(model, file(n, 'torch-init'));
      expect(tf.memory().numTensors).toBe(before);
      const logits = logitsOf(c, model, batches[n]);
      const data = await logits.data();
      measured[`${c.label} | PyTorch→seqzoo logits`] = maxAbs(data, reply.logits);
      expect(relError(data, reply.logits)).toBeLessThan(1e-5);
      if (c.kind === 'lm') expect(greedyOf(c, model)).toEqual(greedyText(c, model, reply.greedy!));
      tf.dispose(logits);
      model.dispose();
    });

    it(`${c.label}: seqzoo → PyTorch fine-tuning (5 Adam steps) → seqzoo: PyTorch's outputs after fine-tuning`, async () => {
      const model = await create(c, 11);
      move(model);
      const first = logitsOf(c, model, batches[n]);
      const start = await first.data();
      first.dispose();
      const reply = replies[n][2];
      // Fine-tuning moved the model (the reply differs from the exported model's logits)…
      expect(maxAbs(start, reply.logits)).toBeGreaterThan(1e-3);
      await importWeights(model, file(n, 'torch-tuned'));
      // …and the imported weights give PyTorch's fine-tuned logits.
      const logits = logitsOf(c, model, batches[n]);
      const data = await logits.data();
      logits.dispose();
      measured[`${c.label} | fine-tuned in PyTorch→seqzoo logits`] = maxAbs(data, reply.logits);
      expect(relError(data, reply.logits)).toBeLessThan(1e-5);
      if (c.kind === 'lm') expect(greedyOf(c, model)).toEqual(greedyText(c, model, reply.greedy!));
      model.dispose();
    });
  });

  it('a PyTorch vocabulary keeps its ids through import, save and load (char-lm)', async () => {
    const n = 1;
    const c = cases[n];
    const model = await create(c, 3);
    await importWeights(model, file(n, 'torch-init'));
    const loaded = await saveAndLoad<RecurrentLM & Module>(model, 'cpu');
    expect(loaded.vocab.tokens).toEqual(torchCharVocab.tokens);
    expect(loaded.vocab.specials).toEqual(torchCharVocab.specials);
    expect(loaded.encode('do')).toEqual([5, 8]);
    expect(greedyOf(c, loaded)).toEqual(greedyText(c, loaded, replies[n][1].greedy!));
    // It trains in seqzoo on texts of those characters.
    await loaded.fit(['bob', 'dora', 'an'], { epochs: 1, batchSize: 2 });
    model.dispose();
    loaded.dispose();
  });

  it('an imported classifier trained in seqzoo keeps its padding row frozen (PyTorch vocabulary, pad 3)', async () => {
    const n = 4;
    const c = cases[n];
    const model = await create(c, 3);
    await importWeights(model, file(n, 'torch-init'));
    const weight = model.namedParameters().get('embedding.weight') as tf.Variable;
    const row = (i: number) => Array.from(weight.dataSync().slice(i * 4, (i + 1) * 4));
    const pad = torchWordVocab.specials.pad;
    // PyTorch's padding_idx row starts at zero and its training kept it there.
    expect(row(pad).every((v) => v === 0)).toBe(true);
    const batch = batchOf(c, model); // reads the pad id inside a text
    const read = (batch.ids as number[][])[0].find((id) => id !== pad) as number;
    const others = row(read);
    const params = model.namedParameters();
    const opt = adam(params, { lr: 0.05 });
    model.train();
    for (let step = 0; step < 3; step++) {
      const names = [...params.keys()];
      const vars = [...params.values()];
      const { value, grads } = tf.variableGrads(
        () =>
          classifierLoss(
            logitsOf(c, model, batch),
            tf.tensor1d(batch.y as number[], 'int32'),
            'softmax',
          ),
        vars,
      );
      opt.step(new Map(names.map((name, i) => [name, grads[vars[i].name]] as const)));
      tf.dispose([value, ...Object.values(grads)]);
    }
    expect(row(pad).every((v) => v === 0)).toBe(true);
    expect(row(read)).not.toEqual(others);
    opt.dispose();
    model.dispose();
  });
});
