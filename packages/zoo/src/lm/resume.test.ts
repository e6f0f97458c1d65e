import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { useBackend } from '@seqzoo/backend';
import { Dataset, mixSeed } from '@seqzoo/data';
import { adam, type Optimizer } from '@seqzoo/optimizers';
import type { PlainText } from '@seqzoo/registry';
import { type FitResult, fit, fitTask } from '@seqzoo/train';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RecurrentLM } from './recurrent-lm';
import { charLmTask } from './task';

const NAMES = 'anna hannah ann nan hana anah noah jonah joan johanna nora orla alan lana nolan'
  .split(' ')
  .concat('ada dana hal jon lon rona'.split(' '));
const texts: PlainText[] = NAMES.map((text) => ({ text }));
const config = { embeddingSize: 8, hiddenSize: 12, bptt: 4, seed: 3 };

/** Two epochs of the char-LM task through @seqzoo/train's fit, as fitTask and the CLI run it. */
function run(model: RecurrentLM, extra: { maxSteps?: number; dir: string; resume?: boolean }) {
  const optimizer = adam(model.namedParameters(), { lr: 0.01 }) as unknown as Optimizer;
  const data = Dataset.fromIterable((ctx) =>
    charLmTask.batches(model, texts, { batchSize: 3, training: true, seed: mixSeed(5, ctx.epoch) }),
  );
  return {
    optimizer,
    result: fit(model, data, {
      optimizer,
      epochs: 2,
      clipGradNorm: 1,
      maxSteps: extra.maxSteps,
      loss: (_m, b) => charLmTask.loss(model, b, { training: true }),
      checkpoint: { dir: extra.dir },
      resume: extra.resume,
    }),
  };
}

describe('char-lm: a run resumed from a mid-epoch checkpoint is the uninterrupted run', () => {
  let root = '';
  beforeAll(async () => {
    await useBackend('cpu');
    root = await mkdtemp(join(tmpdir(), 'zoo-lm-resume-'));
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('carries the BPTT state through the checkpoint: same losses, same final loss', async () => {
    const vocab = new RecurrentLM(config).prepare(NAMES);
    const saved = vocab.vocabularies();
    vocab.dispose();
    const fresh = () => new RecurrentLM(config, saved);

    const whole = fresh();
    const a = run(whole, { dir: join(root, 'a') });
    const full: FitResult = await a.result;
    a.optimizer.dispose();
    const perEpoch = full.steps / 2;
    expect(perEpoch).toBeGreaterThan(6); // several windows per epoch: step 5 is mid-epoch

    const first = fresh();
    const b = run(first, { dir: join(root, 'b'), maxSteps: 5 });
    const cut = await b.result;
    expect(cut.steps).toBe(5);
    b.optimizer.dispose();
    first.dispose();

    const second = fresh();
    const c = run(second, { dir: join(root, 'b'), resume: true });
    const resumed = await c.result;
    c.optimizer.dispose();
    expect(resumed.firstStep).toBe(6);
    expect(resumed.losses).toEqual(full.losses.slice(5));
    expect(resumed.losses.at(-1)).toBe(full.losses.at(-1));
    // The weights end equal too.
    for (const [name, t] of whole.namedParameters()) {
      const other = second.namedParameters().get(name) as tf.Tensor;
      expect(Array.from(other.dataSync())).toEqual(Array.from(t.dataSync()));
    }
    whole.dispose();
    second.dispose();
  });

  it('the same through fitTask (the one loop): resumed at step 5 of 2 epochs, it ends the same', async () => {
    const built = new RecurrentLM(config).prepare(NAMES);
    const saved = built.vocabularies();
    built.dispose();
    const options = { epochs: 2, batchSize: 3, lr: 0.01, seed: 5 };
    const whole = new RecurrentLM(config, saved);
    const full = await fitTask(
      whole,
      charLmTask,
      { train: texts },
      {
        ...options,
        checkpoint: { dir: join(root, 'task-a') },
      },
    );
    const first = new RecurrentLM(config, saved);
    await fitTask(
      first,
      charLmTask,
      { train: texts },
      {
        ...options,
        maxSteps: 5,
        checkpoint: { dir: join(root, 'task-b') },
      },
    );
    first.dispose();
    const second = new RecurrentLM(config, saved);
    const resumed = await fitTask(
      second,
      charLmTask,
      { train: texts },
      {
        ...options,
        checkpoint: { dir: join(root, 'task-b') },
        resume: true,
      },
    );
    expect(resumed.firstStep).toBe(6);
    expect(resumed.steps).toBe(full.steps);
    expect(resumed.losses).toEqual(full.losses.slice(5));
    whole.resetState();
    second.resetState();
    for (const [name, t] of whole.namedParameters()) {
      const other = second.namedParameters().get(name) as tf.Tensor;
      expect(Array.from(other.dataSync())).toEqual(Array.from(t.dataSync()));
    }
    whole.dispose();
    second.dispose();
  });

  it('saves the carried state only in training mode and between windows', () => {
    const lm = new RecurrentLM(config).prepare(NAMES);
    const windows = lm.windows(NAMES, { batchSize: 2 });
    const weights = [...lm.stateDict().keys()];
    lm.train();
    tf.dispose(lm.loss(windows[0]));
    const training = [...lm.stateDict().keys()];
    expect(training.filter((k) => !weights.includes(k)).sort()).toEqual(['carried.c', 'carried.h']);
    lm.eval();
    expect([...lm.stateDict().keys()]).toEqual(weights);
    lm.dispose();
  });
});
