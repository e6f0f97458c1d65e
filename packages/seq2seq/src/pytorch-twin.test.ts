import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { useBackend } from '@seqzoo/backend';
import { exportPytorchState, importPytorchState } from '@seqzoo/registry';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { disposeTensors, Seq2Seq, type Seq2SeqConfig } from './model';
import { greedyDecode } from './search';

// The PyTorch twin (pytorch/seqzoo_seq2seq.py) run by Debian's /usr/bin/python3 with
// python3-torch. Without torch these tests are skipped, unless SEQZOO_REQUIRE_TORCH=1 (CI).
const PYTHON = '/usr/bin/python3';
const SCRIPT = fileURLToPath(new URL('../pytorch/roundtrip.py', import.meta.url));
const hasTorch = spawnSync(PYTHON, ['-c', 'import torch'], { stdio: 'ignore' }).status === 0;
const run = hasTorch || process.env.SEQZOO_REQUIRE_TORCH === '1';
const dir = mkdtempSync(join(tmpdir(), 'seq2seq-torch-'));

beforeAll(async () => {
  await useBackend('cpu');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Reply {
  names: string[];
  state?: Record<string, { shape: number[]; data: number[] }>;
  logits: number[];
  logitsShape: number[];
  greedy: number[][];
  greedyLogProb: number[];
}

/** Runs every round trip in one Python process (torch takes seconds to import). */
function python(requests: unknown[]): Reply[] {
  const req = join(dir, 'requests.json');
  const res = join(dir, 'responses.json');
  writeFileSync(req, JSON.stringify(requests));
  execFileSync(PYTHON, [SCRIPT, req, res], { stdio: ['ignore', 'ignore', 'inherit'] });
  return JSON.parse(readFileSync(res, 'utf8'));
}

/** Largest |a − b| / max(1, |b|). */
function relError(a: ArrayLike<number>, b: readonly number[]): number {
  if (a.length !== b.length) return Number.POSITIVE_INFINITY;
  let w = 0;
  for (let i = 0; i < a.length; i++)
    w = Math.max(w, Math.abs(a[i] - b[i]) / Math.max(1, Math.abs(b[i])));
  return w;
}

const sizes = {
  sourceVocabSize: 11,
  targetVocabSize: 9,
  embeddingSize: 5,
  hiddenSize: 8,
  dropout: 0.1,
};
const variants: Partial<Seq2SeqConfig>[] = [
  { cell: 'lstm', attention: 'general' },
  { cell: 'gru', attention: 'dot', numLayers: 2 },
  { cell: 'lstm', attention: 'bahdanau', attentionUnits: 5, bidirectional: false },
  { cell: 'gru', attention: 'concat', attentionUnits: 6, inputFeeding: false, numLayers: 2 },
  { cell: 'lstm', attention: 'none', numLayers: 2 },
];
const sources = [
  [4, 5, 6, 7, 8],
  [9, 10],
  [5, 5, 4, 10],
];
const targets = [[4, 5, 6], [7], [8, 8, 4, 5]];

/** The twin's config: seqzoo's resolved config (defaults filled). */
function twinConfig(model: Seq2Seq) {
  const { seed: _seed, ...rest } = model.config;
  return rest;
}

/** A model whose every weight is moved off its initial value (biases start at zero). */
function movedModel(v: Partial<Seq2SeqConfig>): Seq2Seq {
  const model = new Seq2Seq({ ...sizes, ...v, seed: 11 });
  const moved = new Map(
    [...model.stateDict()].map(
      ([k, t], i) => [k, tf.randomNormal(t.shape, 0, 0.4, 'float32', i + 1)] as const,
    ),
  );
  model.loadStateDict(moved);
  tf.dispose([...moved.values()]);
  return model.eval();
}

describe.runIf(run)('the PyTorch twin of seq2seq:attention', () => {
  // Per variant: [seqzoo → PyTorch reply, PyTorch → seqzoo reply], from one Python run.
  const replies: [Reply, Reply][] = [];
  beforeAll(() => {
    const requests = variants.flatMap((v) => {
      const model = movedModel(v);
      const state = exportPytorchState(model);
      const payload = Object.fromEntries(
        [...state].map(([k, t]) => [k, { shape: t.shape, data: Array.from(t.dataSync()) }]),
      );
      tf.dispose([...state.values()]);
      const config = twinConfig(model);
      model.dispose();
      return [
        { mode: 'load', config, state: payload, sources, targets },
        { mode: 'init', seed: 5, trainSteps: 5, config, sources, targets },
      ];
    });
    const all = python(requests);
    for (let i = 0; i < all.length; i += 2) replies.push([all[i], all[i + 1]]);
  }, 120_000);

  variants.forEach((v, n) => {
    const label = JSON.stringify(v);

    it(`${label}: seqzoo → PyTorch: the exported state_dict loads strictly and gives the same logits and greedy outputs`, async () => {
      const model = movedModel(v);
      const reply = replies[n][0];
      const names = [...exportPytorchState(model)].map(([k, t]) => {
        t.dispose();
        return k;
      });
      expect([...reply.names].sort()).toEqual(names.sort());
      const batch = model.tensors(sources, targets);
      const logits = model.logits(batch);
      expect(logits.shape).toEqual(reply.logitsShape);
      expect(relError(await logits.data(), reply.logits)).toBeLessThan(1e-5);
      const greedy = greedyDecode(model, sources);
      expect(greedy.map((h) => h.tokens)).toEqual(reply.greedy);
      greedy.forEach((h, i) => {
        expect(Math.abs(h.logProb - reply.greedyLogProb[i])).toBeLessThan(1e-4);
      });
      tf.dispose(logits);
      disposeTensors(batch);
      model.dispose();
    });

    it(`${label}: PyTorch (random init, 5 Adam steps) → seqzoo: same logits and greedy outputs`, async () => {
      const model = new Seq2Seq({ ...sizes, ...v, seed: 3 }).eval();
      const reply = replies[n][1];
      const state = new Map(
        Object.entries(reply.state!).map(([k, t]) => [k, tf.tensor(t.data, t.shape)] as const),
      );
      const before = tf.memory().numTensors;
      importPytorchState(model, state);
      expect(tf.memory().numTensors).toBe(before);
      tf.dispose([...state.values()]);
      const batch = model.tensors(sources, targets);
      const logits = model.logits(batch);
      expect(relError(await logits.data(), reply.logits)).toBeLessThan(1e-5);
      const greedy = greedyDecode(model, sources);
      expect(greedy.map((h) => h.tokens)).toEqual(reply.greedy);
      tf.dispose(logits);
      disposeTensors(batch);
      model.dispose();
    });
  });
});
