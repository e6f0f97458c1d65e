import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { useBackend } from '@seqzoo/backend';
import { Dataset } from '@seqzoo/data';
import type { ExampleMlp, Task } from '@seqzoo/registry';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FitOptionsError, TrainingDataError } from './errors';
import { fit } from './fit';
import { fitTask, holdOut } from './fit-task';
import { items, makeModel, tensorsOf } from './fixtures.test-util';
import { accuracy } from './metrics/classification';
import { fixtureTask } from './parallel/fixture-plugin.test-util';

interface Example {
  x: number[];
  y: number;
}
interface Batch {
  x: number[][];
  y: number[];
}

let root: string;
beforeAll(async () => {
  await useBackend('cpu');
  root = await mkdtemp(join(tmpdir(), 'seqzoo-fit-task-'));
});
afterAll(() => rm(root, { recursive: true, force: true }));

/** The mean of every weight of the model: what the drifting task's metric is made of. */
function meanWeight(model: ExampleMlp): number {
  return tf.tidy(() => {
    const all = [...model.namedParameters().values()].map((v) => tf.reshape(v, [-1]));
    return tf.mean(tf.concat(all)).dataSync()[0];
  });
}

/** A 3-class task on the registry's example MLP: cross-entropy, accuracy picks the best. */
function mlpTask(overrides: Partial<Task<ExampleMlp, Example, Batch>> = {}) {
  const task: Task<ExampleMlp, Example, Batch> = {
    examples: 'custom',
    // Seeded batches and the MLP's cross-entropy: the data-parallel tests' task.
    batches: fixtureTask.batches,
    loss: fixtureTask.loss,
    size: (batch) => batch.x.length,
    async evaluate(model, examples) {
      const t = tensorsOf({ x: examples.map((e) => e.x), y: examples.map((e) => e.y) });
      const logits = model.forward(t.x);
      const a = accuracy(logits, t.y);
      tf.dispose([t.x, t.y, logits]);
      return { accuracy: a.sum / a.count };
    },
    metric: { name: 'accuracy', mode: 'max' },
    predict: async () => [],
    training: { optimizer: 'adam', learningRate: 0.05, batchSize: 8, epochs: 4 },
    ...overrides,
  };
  return task;
}

describe('fitTask', () => {
  it('trains with the task defaults, holds out validation, leaks nothing', async () => {
    const model = makeModel(0);
    const task = mlpTask({ training: { learningRate: 0.05, batchSize: 8, validationSplit: 0.25 } });
    const before = tf.memory().numTensors;
    const r = await fitTask(model, task, { train: items(64) }, { epochs: 6 });
    expect(tf.memory().numTensors).toBe(before);
    expect(r.examples).toEqual({ train: 48, validation: 16 });
    expect(r.batchesPerEpoch).toBe(6);
    expect(r.steps).toBe(36);
    expect(r.settings).toMatchObject({ lr: 0.05, batchSize: 8, epochs: 6, optimizer: 'adam' });
    expect(r.history.every((h) => h.validation?.accuracy !== undefined)).toBe(true);
    expect(r.validation?.accuracy).toBe(Math.max(...r.history.map((h) => h.validation!.accuracy)));
    expect(model.training).toBe(false);
    model.dispose();
  });

  it('restore-best: the model left is the best epoch on validation, not the last', async () => {
    // Plain SGD on a loss that pushes every weight up at a constant rate: the mean weight grows
    // by the same amount each epoch. The metric peaks when the mean weight has grown by 0.3 and falls
    // after, so the best epoch is in the middle of the run.
    const seen: { step: number; mean: number; score: number }[] = [];
    let target = 0;
    const task = mlpTask({
      loss: (model) =>
        tf.tidy(() => tf.neg(tf.addN([...model.namedParameters().values()].map((v) => tf.sum(v))))),
      async evaluate(model) {
        const mean = meanWeight(model);
        const score = -Math.abs(mean - target);
        seen.push({ step: -1, mean, score });
        return { score };
      },
      metric: { name: 'score', mode: 'max' },
      training: { optimizer: 'sgd', learningRate: 0.01, batchSize: 8 },
    });
    const model = makeModel(0);
    const start = meanWeight(model);
    target = start + 0.3; // 0.08 an epoch (8 steps of 0.01): the peak is near epoch 4
    const before = tf.memory().numTensors;
    const r = await fitTask(
      model,
      task,
      { train: items(64), validation: items(8, 1) },
      {
        epochs: 12,
        callbacks: {
          onValidation: (e) => {
            seen[seen.length - 1].step = e.step;
          },
        },
      },
    );
    expect(tf.memory().numTensors).toBe(before);
    const scores = seen.map((s) => s.score);
    const bestAt = scores.indexOf(Math.max(...scores));
    // the metric really peaked, then fell
    expect(bestAt).toBeGreaterThan(0);
    expect(bestAt).toBeLessThan(seen.length - 2);
    expect(scores.at(-1)).toBeLessThan(scores[bestAt]);
    expect(seen.at(-1)!.mean).toBeGreaterThan(start);
    expect(r.best).toMatchObject({ monitor: 'score', step: seen[bestAt].step });
    // the weights the model holds are the best epoch's
    expect(meanWeight(model)).toBeCloseTo(seen[bestAt].mean, 6);
    expect(r.validation?.score).toBe(scores[bestAt]);
    // restoreBest: false keeps the last weights
    const last = makeModel(0);
    seen.length = 0;
    target = meanWeight(last) + 0.3;
    await fitTask(
      last,
      task,
      { train: items(64), validation: items(8, 1) },
      { epochs: 12, restoreBest: false },
    );
    expect(meanWeight(last)).toBeCloseTo(seen.at(-1)!.mean, 6);
    model.dispose();
    last.dispose();
  });

  it('yields to the event loop between steps: a timer fires while it trains', async () => {
    const model = makeModel(0);
    let steps = 0;
    let firedAtStep = -1;
    const timer = setTimeout(() => {
      firedAtStep = steps;
    }, 0);
    const r = await fitTask(
      model,
      mlpTask(),
      { train: items(64) },
      {
        epochs: 20,
        callbacks: {
          onBatchEnd: (e) => {
            steps = e.step;
          },
        },
      },
    );
    clearTimeout(timer);
    expect(r.steps).toBe(160);
    expect(firedAtStep).toBeGreaterThanOrEqual(0);
    expect(firedAtStep).toBeLessThan(r.steps);
    model.dispose();
  });

  it('empty or too-small data is a TrainingDataError before any step', async () => {
    const model = makeModel(0);
    const task = mlpTask();
    await expect(fitTask(model, task, { train: [] })).rejects.toBeInstanceOf(TrainingDataError);
    await expect(fitTask(model, task, { train: [] })).rejects.toMatchObject({ field: 'train' });
    await expect(
      fitTask(model, task, { train: items(1) }, { validationSplit: 0.5 }),
    ).rejects.toThrow(/cannot spare a validation split/);
    // a task whose batches come out empty
    await expect(
      fitTask(model, mlpTask({ batches: () => [] }), { train: items(8) }, { maxMinutes: 0.1 }),
    ).rejects.toThrow(/make no batch/);
    await expect(fitTask(model, task, { train: items(8) }, { lr: -1 })).rejects.toBeInstanceOf(
      FitOptionsError,
    );
    model.dispose();
  });

  it('fit: an epoch without batches is a TrainingDataError, not an endless loop', async () => {
    const model = makeModel(0);
    const { adam } = await import('@seqzoo/optimizers');
    const optimizer = adam(model.namedParameters(), { lr: 0.01 });
    await expect(
      fit(model, Dataset.from<Batch>([]), {
        optimizer,
        loss: (m, b) => tf.tidy(() => (m as ExampleMlp).loss(tensorsOf(b))),
        maxSteps: 10,
      }),
    ).rejects.toBeInstanceOf(TrainingDataError);
    optimizer.dispose();
    model.dispose();
  });

  it('a time budget stops training (epochs unlimited) with stopReason timeBudget', async () => {
    const model = makeModel(0);
    const before = tf.memory().numTensors;
    const r = await fitTask(
      model,
      mlpTask({ training: { learningRate: 0.05, batchSize: 8, validationSplit: 0.25 } }),
      { train: items(64) },
      { maxMinutes: 0.003 },
    );
    expect(r.stopReason).toBe('timeBudget');
    expect(r.steps).toBeGreaterThan(0);
    expect(r.settings.epochs).toBeNull();
    // the last steps were validated before the best was picked
    expect(r.best).not.toBeNull();
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });

  it('the learning rate falls linearly to lr · finalLrFactor over the steps', async () => {
    const model = makeModel(0);
    const lrs: number[] = [];
    await fitTask(
      model,
      mlpTask(),
      { train: items(64) },
      {
        epochs: 2,
        finalLrFactor: 0.1,
        callbacks: { onBatchEnd: (e) => void lrs.push(e.lr) },
      },
    );
    expect(lrs).toHaveLength(16);
    expect(lrs[0]).toBeCloseTo(0.05, 10);
    expect(lrs[8]).toBeCloseTo(0.05 * (1 - 0.9 * (8 / 16)), 10);
    model.dispose();
  });

  it('restore-best survives a resume: the best weights travel with the checkpoint', async () => {
    const dir = join(root, 'resume-best');
    const task = mlpTask({ training: { learningRate: 0.05, batchSize: 8 } });
    const splits = { train: items(64), validation: items(16, 1) };
    const straight = makeModel(0);
    const full = await fitTask(straight, task, splits, { epochs: 6 });
    const first = makeModel(0);
    const controller = new AbortController();
    await fitTask(first, task, splits, {
      epochs: 6,
      checkpoint: { dir, everySteps: 8 },
      signal: controller.signal,
      callbacks: { onBatchEnd: (e) => (e.step === 27 ? controller.abort() : undefined) },
    });
    const second = makeModel(0);
    const rest = await fitTask(second, task, splits, {
      epochs: 6,
      checkpoint: { dir },
      resume: true,
    });
    expect(rest.steps).toBe(full.steps);
    expect(rest.best?.step).toBe(full.best?.step);
    expect(meanWeight(second)).toBeCloseTo(meanWeight(straight), 5);
    for (const m of [straight, first, second]) m.dispose();
  });
});

describe('holdOut', () => {
  it('holds out a seeded fraction, or the given validation split', () => {
    const a = holdOut({ train: items(20) }, 0.25, 3);
    expect([a.train.length, a.validation.length]).toEqual([15, 5]);
    expect(holdOut({ train: items(20) }, 0.25, 3).validation).toEqual(a.validation);
    const given = holdOut({ train: items(20), validation: items(2, 1) }, 0.25, 3);
    expect(given.validation).toHaveLength(2);
    expect(given.train).toHaveLength(20);
  });
});
