import type { Module } from '@seqzoo/layers';
import type { Task } from '@seqzoo/registry';
import { fitTask } from '@seqzoo/train';
import { ZooConfigError } from '../errors';

/** What a zoo model's `fit()` takes; each training field defaults to the model's `task.training`. */
export interface ZooFitOptions {
  /** Passes over the training examples (default: the task's, 5; unlimited under a budget). */
  epochs?: number;
  /** Time budget in minutes: training stops after the step that uses it up. */
  maxMinutes?: number;
  /** Stop after this many optimizer steps. */
  maxSteps?: number;
  /** Examples per step (language models: rows of the token stream). */
  batchSize?: number;
  /** The optimizer's learning rate (Adam). */
  lr?: number;
  /** Global-norm gradient clipping (classifiers 5, language models 1; 0 turns it off). */
  clipGradNorm?: number;
  /**
   * Hold out this fraction of the texts for validation: the model left at the end is the best
   * epoch on the task's metric (restore-best). Default 0: `fit()` trains on every text given.
   */
  validationSplit?: number;
  /** With a validation split: stop after this many validations without improvement. */
  patience?: number;
  /** Seeds each epoch's order of the examples and the validation hold-out (default 0). */
  seed?: number;
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
  /** With a validation split: the task's metrics of the model kept (null without one). */
  validation: Record<string, number> | null;
}

/**
 * Trains `model` on `train` through its task with @seqzoo/train's `fitTask` — the one loop (the
 * same batches, loss and defaults as `seqzoo train`). Leaves the model in eval mode.
 */
export async function fitWithTask<M extends Module, E, B>(
  model: M,
  task: Task<M, E, B>,
  train: readonly E[],
  options: ZooFitOptions = {},
): Promise<TrainHistory> {
  if (train.length === 0) {
    throw new ZooConfigError('texts', 'no training examples; pass at least one.');
  }
  const start = performance.now();
  const result = await fitTask(
    model,
    task,
    { train },
    {
      epochs: options.epochs,
      maxMinutes: options.maxMinutes,
      maxSteps: options.maxSteps,
      batchSize: options.batchSize,
      lr: options.lr,
      clipGradNorm: options.clipGradNorm,
      validationSplit: options.validationSplit ?? 0,
      patience: options.patience,
      seed: options.seed,
      signal: options.signal,
      callbacks: {
        onBatchEnd: (e) => options.onStep?.(e.step, e.loss),
        onEpochEnd: (e) => options.onEpoch?.(e.epoch, e.loss),
      },
    },
  );
  return {
    loss: result.history.map((e) => e.loss).filter((l) => Number.isFinite(l)),
    steps: result.steps,
    seconds: (performance.now() - start) / 1000,
    validation: result.validation,
  };
}
