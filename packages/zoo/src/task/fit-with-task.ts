import { Dataset, mixSeed } from '@seqzoo/data';
import type { Module } from '@seqzoo/layers';
import { adam, type Optimizer } from '@seqzoo/optimizers';
import type { Task } from '@seqzoo/registry';
import { fit } from '@seqzoo/train';
import { checkPositiveInt, checkRange, ZooConfigError } from '../errors';

/** What a zoo model's `fit()` takes; each field defaults to the model's `task.training`. */
export interface ZooFitOptions {
  /** Passes over the training examples (default: the task's, 5). */
  epochs?: number;
  /** Examples per step (language models: rows of the token stream). */
  batchSize?: number;
  /** Adam's learning rate. */
  lr?: number;
  /** Global-norm gradient clipping (classifiers 5, language models 1). */
  clipGradNorm?: number;
  /** Seeds the order of the examples in each epoch (default 0). */
  seed?: number;
  /** Stop after this many optimizer steps. */
  maxSteps?: number;
  /** Stops after the current step. */
  signal?: AbortSignal;
  /** After each epoch, with its mean training loss. */
  onEpoch?: (epoch: number, loss: number) => void;
  /** After each step, with its loss. */
  onStep?: (step: number, loss: number) => void;
}

/** What a zoo model's `fit()` returns. */
export interface TrainHistory {
  /** Mean training loss of each epoch. */
  loss: number[];
  steps: number;
  seconds: number;
}

/**
 * Trains `model` on `train` through its task (the same batches and loss that `fitTask` and the
 * CLI use) with @seqzoo/train's `fit`: Adam, clipping, one epoch's batches per epoch, reseeded
 * each epoch. Leaves the model in eval mode.
 */
export async function fitWithTask<M extends Module, E, B>(
  model: M,
  task: Task<M, E, B>,
  train: readonly E[],
  options: ZooFitOptions = {},
): Promise<TrainHistory> {
  const defaults = task.training;
  if (train.length === 0) {
    throw new ZooConfigError('texts', 'no training examples; pass at least one.');
  }
  const epochs = checkPositiveInt('epochs', options.epochs ?? defaults.epochs ?? 5);
  const batchSize = checkPositiveInt('batchSize', options.batchSize ?? defaults.batchSize);
  const lr = checkRange('lr', options.lr ?? defaults.learningRate, 0, Number.POSITIVE_INFINITY, {
    lowOpen: true,
  });
  const clip = options.clipGradNorm ?? defaults.clipGradNorm;
  if (clip !== undefined)
    checkRange('clipGradNorm', clip, 0, Number.POSITIVE_INFINITY, { lowOpen: true });
  if (options.maxSteps !== undefined) checkPositiveInt('maxSteps', options.maxSteps);
  const seed = options.seed ?? 0;
  task.prepare?.(model, train);
  const data = Dataset.fromIterable((ctx) =>
    task.batches(model, train, { batchSize, training: true, seed: mixSeed(seed, ctx.epoch) }),
  );
  const optimizer = adam(model.namedParameters(), { lr }) as unknown as Optimizer;
  const start = performance.now();
  try {
    const result = await fit(model, data, {
      optimizer,
      epochs,
      maxSteps: options.maxSteps,
      clipGradNorm: clip,
      signal: options.signal,
      loss: (_m, batch) =>
        task.loss(model, batch, { training: true, labelSmoothing: defaults.labelSmoothing }),
      callbacks: {
        onBatchEnd: (e) => options.onStep?.(e.step, e.loss),
        onEpochEnd: (e) => options.onEpoch?.(e.epoch, e.loss),
      },
    });
    return {
      loss: result.history.map((e) => e.loss).filter((l) => Number.isFinite(l)),
      steps: result.steps,
      seconds: (performance.now() - start) / 1000,
    };
  } finally {
    optimizer.dispose();
    model.eval();
  }
}
