import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { useBackend } from '@seqzoo/backend';
import { Rng } from '@seqzoo/data';
import type { Module } from '@seqzoo/layers';
import { adam, linearWarmup, sgd } from '@seqzoo/optimizers';
import type { ExampleMlp } from '@seqzoo/registry';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listCheckpoints } from './checkpoint';
import { FitOptionsError, NonFiniteLossError } from './errors';
import type { ProgressEvent } from './events';
import { type FitOptions, fit } from './fit';
import { type Batch, makeModel, tensorsOf, trainData, validationData } from './fixtures.test-util';
import { accuracy } from './metrics/classification';

let root: string;
beforeAll(async () => {
  await useBackend('cpu');
  root = await mkdtemp(join(tmpdir(), 'seqzoo-fit-'));
});
afterAll(() => rm(root, { recursive: true, force: true }));

const loss = (m: Module, b: Batch) => tf.tidy(() => (m as ExampleMlp).loss(tensorsOf(b)));

async function weightsOf(model: Module): Promise<number[]> {
  const out: number[] = [];
  for (const t of model.stateDict().values()) out.push(...(await t.data()));
  return out;
}

/** Tensors the optimizer holds as its state (they outlive fit, owned by the optimizer). */
function optimizerTensors(model: Module, optimizer: ReturnType<typeof adam>): number {
  return [...model.namedParameters().keys()].reduce(
    (n, k) => n + Object.keys(optimizer.stateOf(k)?.buffers ?? {}).length,
    0,
  );
}

/** A fresh model, optimizer and schedule: each run of a comparison must start from the same. */
function setup() {
  const model = makeModel(0);
  const optimizer = adam(model.namedParameters(), { lr: 0.05 });
  const schedule = linearWarmup(optimizer, { startFactor: 0.2, totalIters: 10 });
  return { model, optimizer, schedule };
}

describe('fit', () => {
  it('lowers the loss, reports progress and epochs, validates with metrics, leaks nothing', async () => {
    const { model, optimizer, schedule } = setup();
    const before = tf.memory().numTensors;
    const progress: ProgressEvent[] = [];
    const epochs: number[] = [];
    const result = await fit(model, trainData(), {
      optimizer,
      schedule,
      loss,
      epochs: 6,
      clipGradNorm: 5,
      validation: {
        data: validationData(),
        metrics: (m, b) => {
          const t = tensorsOf(b);
          const logits = (m as ExampleMlp).forward(t.x);
          const hits = accuracy(logits, t.y);
          tf.dispose([t.x, t.y, logits]);
          return { accuracy: hits };
        },
      },
      tokensOf: (b) => b.x.length,
      callbacks: {
        onProgress: (e) => void progress.push(e),
        onEpochEnd: (e) => void epochs.push(e.epoch),
      },
    });
    expect(tf.memory().numTensors).toBe(before + optimizerTensors(model, optimizer));
    expect(result.steps).toBe(48);
    expect(result.stopReason).toBe('completed');
    expect(epochs).toEqual([0, 1, 2, 3, 4, 5]);
    const h = result.history;
    expect(h[5].loss).toBeLessThan(h[0].loss * 0.7);
    expect(h[5].validation?.accuracy).toBeGreaterThan(0.6);
    expect(progress[10].totalSteps).toBe(48);
    expect(progress[10].etaMs).toBeGreaterThan(0);
    expect(progress[10].tokensPerSecond).toBeGreaterThan(0);
    expect(progress.at(-1)?.etaMs).toBe(0);
    // the warm-up schedule stepped once per step: lr reached its target after 10 steps
    expect(progress[0].lr).toBeCloseTo(0.05 * (0.2 + 0.8 / 10), 10);
    expect(progress[20].lr).toBeCloseTo(0.05, 10);
    optimizer.dispose();
    model.dispose();
  });

  it('stops at maxSteps, on early stopping and on abort', async () => {
    const a = setup();
    expect(
      (await fit(a.model, trainData(), { optimizer: a.optimizer, loss, maxSteps: 11 })).steps,
    ).toBe(11);
    const b = setup();
    const r = await fit(b.model, trainData(), {
      optimizer: sgd(b.model.namedParameters(), { lr: 0 }), // never improves
      loss,
      epochs: 20,
      validation: { data: validationData() },
      earlyStopping: { patience: 2 },
    });
    expect(r.stopReason).toBe('earlyStopping');
    expect(r.epochs).toBe(3); // best at epoch 0, no improvement at 1 and 2
    const c = setup();
    const controller = new AbortController();
    const aborted = await fit(c.model, trainData(), {
      optimizer: c.optimizer,
      loss,
      epochs: 5,
      signal: controller.signal,
      callbacks: { onBatchEnd: (e) => (e.step === 7 ? controller.abort() : undefined) },
    });
    expect(aborted).toMatchObject({ stopReason: 'aborted', steps: 7 });
    for (const s of [a, b, c]) {
      s.optimizer.dispose();
      s.model.dispose();
    }
  });

  it('resumes from a checkpoint to the same loss trajectory and weights (1e-6)', async () => {
    const options = (s: ReturnType<typeof setup>, dir: string): FitOptions<Batch> => ({
      optimizer: s.optimizer,
      schedule: s.schedule,
      // a loss that draws from the run's RNG (as dropout would): its state must resume too
      loss: (m, b, ctx) => tf.tidy(() => tf.mul(loss(m, b), 1 + 0.1 * ctx.rng!.float())),
      rng: new Rng(7),
      epochs: 4,
      clipGradNorm: 1,
      checkpoint: { dir, everySteps: 5, keep: 2 },
      resume: true,
    });
    const full = setup();
    const straight = await fit(full.model, trainData(), options(full, join(root, 'straight')));
    expect(straight.steps).toBe(32);

    const dir = join(root, 'resumed');
    const first = setup();
    const controller = new AbortController();
    const part = await fit(first.model, trainData(), {
      ...options(first, dir),
      checkpoint: { dir, everySteps: 5, keep: 2, atEnd: false },
      signal: controller.signal,
      callbacks: { onBatchEnd: (e) => (e.step === 13 ? controller.abort() : undefined) },
    });
    expect(part.steps).toBe(13);
    expect((await listCheckpoints(dir)).map((c) => c.step)).toEqual([5, 10]); // keep: 2
    const second = setup(); // fresh weights and optimizer: everything must come from the checkpoint
    const rest = await fit(second.model, trainData(), options(second, dir));
    expect(rest.firstStep).toBe(11);
    expect(rest.steps).toBe(32);
    const expected = straight.losses.slice(10);
    expect(rest.losses.length).toBe(expected.length);
    const maxDiff = (a: number[], b: number[]) => Math.max(...a.map((x, i) => Math.abs(x - b[i])));
    expect(maxDiff(rest.losses, expected)).toBeLessThan(1e-6);
    const [wa, wb] = [await weightsOf(full.model), await weightsOf(second.model)];
    expect(maxDiff(wa, wb)).toBeLessThan(1e-6);
    expect(rest.history.map((h) => h.epoch)).toEqual([0, 1, 2, 3]);
    expect((await readdir(dir)).filter((n) => n.startsWith('.'))).toEqual([]);
    for (const s of [full, first, second]) {
      s.optimizer.dispose();
      s.model.dispose();
    }
  });

  it('stops on a non-finite loss with a typed error naming the step, keeping the last checkpoint', async () => {
    const s = setup();
    const dir = join(root, 'nan');
    const before = tf.memory().numTensors;
    let error: unknown;
    try {
      await fit(s.model, trainData(), {
        optimizer: s.optimizer,
        loss: (m, b, ctx) =>
          ctx.step === 9 ? tf.tidy(() => tf.mul(loss(m, b), Number.NaN)) : loss(m, b),
        epochs: 3,
        checkpoint: { dir, everySteps: 4 },
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(NonFiniteLossError);
    expect(error).toMatchObject({ step: 9 });
    expect((error as Error).message).toMatch(/step 9.*ckpt-000000008/);
    expect((await listCheckpoints(dir)).map((c) => c.step)).toEqual([4, 8]);
    expect(await weightsOf(s.model)).toSatisfy((w: number[]) => w.every(Number.isFinite));
    // the optimizer made its state on the first step; everything else was released
    expect(tf.memory().numTensors - before).toBe(optimizerTensors(s.model, s.optimizer));
    s.optimizer.dispose();
    s.model.dispose();
  });

  it('a run that stopped early stays stopped when resumed', async () => {
    const dir = join(root, 'early');
    const run = async () => {
      const s = setup();
      const r = await fit(s.model, trainData(), {
        optimizer: sgd(s.model.namedParameters(), { lr: 0 }),
        loss,
        epochs: 20,
        validation: { data: validationData() },
        earlyStopping: { patience: 2 },
        checkpoint: { dir, everySteps: 8 },
        resume: true,
      });
      s.optimizer.dispose();
      s.model.dispose();
      return r;
    };
    const first = await run();
    expect(first).toMatchObject({ stopReason: 'earlyStopping', steps: 24 });
    const again = await run();
    expect(again).toMatchObject({ stopReason: 'earlyStopping', steps: 24, losses: [] });
  });

  it('rejects options that cannot work', async () => {
    const s = setup();
    await expect(
      fit(s.model, trainData(), { optimizer: s.optimizer, loss, epochs: 0 }),
    ).rejects.toBeInstanceOf(FitOptionsError);
    await expect(
      fit(s.model, trainData(), { optimizer: s.optimizer, loss, resume: true }),
    ).rejects.toThrow(/checkpoint\.dir/);
    s.optimizer.dispose();
    s.model.dispose();
  });
});
