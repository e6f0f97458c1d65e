import { Dataset, mixSeed, Rng } from '@seqzoo/data';
import type { Module } from '@seqzoo/layers';
import { adagrad, adam, adamw, type Optimizer, rmsprop, sgd } from '@seqzoo/optimizers';
import type { Splits, Task, TrainingDefaults } from '@seqzoo/registry';
import { FitOptionsError, TrainingDataError } from './errors';
import { disposeBatch } from './evaluate';
import type { Callbacks } from './events';
import { type CheckpointOptions, type FitResult, fit } from './fit';
import { type ReplicaPool, startReplicas } from './parallel/pool';

/** What `fitTask` takes; each training field defaults to the task's `training` defaults. */
export interface FitTaskOptions {
  /** Learning rate (default: the task's `learningRate`). */
  lr?: number;
  /** Examples per step (default: the task's). */
  batchSize?: number;
  /** Global gradient-norm clipping (default: the task's; 0 turns it off). */
  clipGradNorm?: number;
  /** Label smoothing passed to the task's loss (default: the task's; 0 turns it off). */
  labelSmoothing?: number;
  optimizer?: NonNullable<TrainingDefaults['optimizer']>;
  weightDecay?: number;
  /** The learning rate falls linearly to lr · this over the run (default: the task's, else 1). */
  finalLrFactor?: number;
  /**
   * Passes over the training examples. Default: unlimited when `maxMinutes` or `maxSteps` is
   * given, else the task's `epochs` (5 when it has none).
   */
  epochs?: number;
  /** Time budget: training stops after the step that uses it up. */
  maxMinutes?: number;
  maxSteps?: number;
  /**
   * Fraction of the training examples held out for validation when `splits.validation` is not
   * given (default: the task's `validationSplit`, else none; 0: none).
   */
  validationSplit?: number;
  /** Validate every N steps as well as at each epoch's end. */
  validateEverySteps?: number;
  /** Early stopping: validations without improvement of the task's metric (default: none). */
  patience?: number;
  /**
   * With validation, the model left at the end is the best on the task's metric (default true):
   * a longer budget never gives a worse model.
   */
  restoreBest?: boolean;
  /** Seeds the validation hold-out and each epoch's batch order (default 0). */
  seed?: number;
  /**
   * Data parallelism in Node: threads that each compute the gradient of a part of every batch
   * (this one and `workers − 1` worker threads with replicas of the model, built from its
   * registry origin), averaged into one step over the whole batch (default 1). Needs a model
   * built by a registry whose plugin declares `module`, and a task with `split`.
   */
  workers?: number;
  /**
   * Validate, keep and save the parameters' exponential moving average with this decay
   * (default: the task's `averageDecay`; 0: none).
   */
  averageDecay?: number;
  signal?: AbortSignal;
  callbacks?: Callbacks;
  checkpoint?: CheckpointOptions;
  resume?: boolean | string;
}

/** The settings a run used: the task's defaults with the options laid over them. */
export interface FitTaskSettings {
  optimizer: NonNullable<TrainingDefaults['optimizer']>;
  lr: number;
  batchSize: number;
  clipGradNorm: number | undefined;
  labelSmoothing: number | undefined;
  weightDecay: number | undefined;
  finalLrFactor: number;
  epochs: number | null;
  maxMinutes: number | null;
  maxSteps: number | null;
  validationSplit: number;
  restoreBest: boolean;
  patience: number | null;
  seed: number;
  workers: number;
  averageDecay: number | null;
}

/** What `fitTask` returns: the `fit` result plus the settings and data sizes. */
export interface FitTaskResult extends FitResult {
  settings: FitTaskSettings;
  /** Examples trained on and held out. */
  examples: { train: number; validation: number };
  /** Optimizer steps in one epoch. */
  batchesPerEpoch: number;
  /** The task's metrics on validation for the model left at the end (null: no validation ran). */
  validation: Record<string, number> | null;
}

function positive(name: string, v: number | undefined, integer: boolean): void {
  if (v === undefined) return;
  const ok = integer ? Number.isInteger(v) && v > 0 : Number.isFinite(v) && v > 0;
  if (!ok)
    throw new FitOptionsError(
      name,
      `must be a ${integer ? 'positive integer' : 'number > 0'}, got ${v}.`,
    );
}

function nonNegative(name: string, v: number | undefined, below?: number): void {
  if (v === undefined) return;
  if (!(Number.isFinite(v) && v >= 0 && (below === undefined || v < below)))
    throw new FitOptionsError(
      name,
      `must be a number ≥ 0${below === undefined ? '' : ` and < ${below}`}, got ${v}.`,
    );
}

/** The task's training defaults overridden by the options, checked. */
export function resolveTaskSettings(
  defaults: TrainingDefaults,
  options: FitTaskOptions,
): FitTaskSettings {
  positive('lr', options.lr, false);
  positive('batchSize', options.batchSize, true);
  positive('epochs', options.epochs, true);
  positive('maxMinutes', options.maxMinutes, false);
  positive('maxSteps', options.maxSteps, true);
  positive('validateEverySteps', options.validateEverySteps, true);
  positive('workers', options.workers, true);
  nonNegative('averageDecay', options.averageDecay, 1);
  nonNegative('clipGradNorm', options.clipGradNorm);
  nonNegative('labelSmoothing', options.labelSmoothing, 1);
  nonNegative('weightDecay', options.weightDecay);
  nonNegative('validationSplit', options.validationSplit, 1);
  if (
    options.patience !== undefined &&
    !(Number.isInteger(options.patience) && options.patience >= 0)
  )
    throw new FitOptionsError(
      'patience',
      `must be a non-negative integer, got ${options.patience}.`,
    );
  const final = options.finalLrFactor ?? defaults.finalLearningRateFactor ?? 1;
  if (!(final >= 0 && final <= 1))
    throw new FitOptionsError('finalLrFactor', `must be between 0 and 1, got ${final}.`);
  const budgeted = options.maxMinutes !== undefined || options.maxSteps !== undefined;
  const clip = options.clipGradNorm ?? defaults.clipGradNorm;
  const smoothing = options.labelSmoothing ?? defaults.labelSmoothing;
  return {
    optimizer: options.optimizer ?? defaults.optimizer ?? 'adam',
    lr: options.lr ?? defaults.learningRate,
    batchSize: options.batchSize ?? defaults.batchSize,
    clipGradNorm: clip ? clip : undefined,
    labelSmoothing: smoothing ? smoothing : undefined,
    weightDecay: options.weightDecay ?? defaults.weightDecay,
    finalLrFactor: final,
    epochs: options.epochs ?? (budgeted ? null : (defaults.epochs ?? 5)),
    maxMinutes: options.maxMinutes ?? null,
    maxSteps: options.maxSteps ?? null,
    validationSplit: options.validationSplit ?? defaults.validationSplit ?? 0,
    restoreBest: options.restoreBest ?? true,
    patience: options.patience ?? null,
    seed: options.seed ?? 0,
    workers: options.workers ?? 1,
    averageDecay: (options.averageDecay ?? defaults.averageDecay) || null,
  };
}

/** An optimizer of @seqzoo/optimizers by name. */
export function makeOptimizer(
  model: Module,
  settings: Pick<FitTaskSettings, 'optimizer' | 'lr' | 'weightDecay'>,
): Optimizer {
  const params = model.namedParameters();
  const lr = settings.lr;
  const wd = settings.weightDecay;
  const o = (extra: object) => ({ lr, ...(wd !== undefined ? { weightDecay: wd } : {}), ...extra });
  switch (settings.optimizer) {
    case 'adam':
      return adam(params, o({})) as unknown as Optimizer;
    case 'adamw':
      return adamw(params, o({})) as unknown as Optimizer;
    case 'sgd':
      return sgd(params, o({})) as unknown as Optimizer;
    case 'rmsprop':
      return rmsprop(params, o({})) as unknown as Optimizer;
    case 'adagrad':
      return adagrad(params, o({})) as unknown as Optimizer;
    default:
      throw new FitOptionsError(
        'optimizer',
        `'${settings.optimizer}' is not one of adam, adamw, sgd, rmsprop, adagrad.`,
      );
  }
}

/**
 * The training and validation examples: `splits.validation` when given, else a seeded random
 * `fraction` of the training examples held out (none when 0).
 */
export function holdOut<E>(
  splits: Splits<E>,
  fraction: number,
  seed: number,
): { train: readonly E[]; validation: readonly E[] } {
  if (splits.train.length === 0) {
    throw new TrainingDataError('train', 'there are no training examples: give at least one.');
  }
  if (splits.validation) return { train: splits.train, validation: splits.validation };
  if (!fraction) return { train: splits.train, validation: [] };
  const n = splits.train.length;
  const held = Math.max(1, Math.round(n * fraction));
  if (held >= n) {
    throw new TrainingDataError(
      'train',
      `${n} training example${n === 1 ? '' : 's'} cannot spare a validation split of ${fraction}: give more examples, or a validation split of 0.`,
    );
  }
  const order = new Rng(mixSeed(seed, 0x5eed)).shuffle(splits.train.map((_, i) => i));
  const heldSet = new Set(order.slice(0, held));
  return {
    train: splits.train.filter((_, i) => !heldSet.has(i)),
    validation: splits.train.filter((_, i) => heldSet.has(i)),
  };
}

/**
 * Trains a registered model through its task — the one loop of seqzoo (`seqzoo train` calls it):
 * the optimizer and settings from the task's training defaults with `options` laid over them; a
 * validation split held out when none is given; the task's batches (reshuffled each epoch by
 * `seed`) and loss; the task's metric on validation each epoch (and every `validateEverySteps`),
 * early stopping with `patience`, and restore-best; a time budget; checkpoints and exact resume;
 * one NaN policy (`NonFiniteLossError`). Data that cannot train (no examples, no batch) is a
 * `TrainingDataError` before the first step. The model is left in eval mode.
 */
export async function fitTask<M extends Module, E, B>(
  model: M,
  task: Task<M, E, B>,
  splits: Splits<E>,
  options: FitTaskOptions = {},
): Promise<FitTaskResult> {
  const settings = resolveTaskSettings(task.training, options);
  const { train, validation } = holdOut(splits, settings.validationSplit, settings.seed);
  task.prepare?.(model, train);
  const batchesOf = (epoch: number) =>
    task.batches(model, train, {
      batchSize: settings.batchSize,
      training: true,
      seed: mixSeed(settings.seed, epoch),
    });
  // Count one epoch's batches (the schedule's length), and refuse data that makes none.
  let batchesPerEpoch = 0;
  for (const b of batchesOf(0)) {
    batchesPerEpoch += 1;
    disposeBatch(b);
  }
  if (batchesPerEpoch === 0) {
    throw new TrainingDataError(
      'train',
      `${train.length} training example${train.length === 1 ? '' : 's'} make no batch: give more data.`,
    );
  }
  const data = Dataset.fromIterable((ctx) => batchesOf(ctx.epoch), batchesPerEpoch);
  const optimizer = makeOptimizer(model, settings);
  const budgetMs = settings.maxMinutes === null ? undefined : settings.maxMinutes * 60_000;
  const totalSteps = Math.min(
    settings.maxSteps ?? Number.POSITIVE_INFINITY,
    settings.epochs === null ? Number.POSITIVE_INFINITY : settings.epochs * batchesPerEpoch,
  );
  const started = performance.now();
  const callbacks = options.callbacks ?? {};
  const decay = settings.finalLrFactor < 1;
  const withValidation = validation.length > 0;
  let pool: ReplicaPool | null = null;
  try {
    if (settings.workers > 1) {
      pool = await startReplicas(model, task as never, { workers: settings.workers, train });
    }
    const replicas = pool;
    const result = await fit(model, data, {
      optimizer,
      loss: (_m, batch) =>
        task.loss(model, batch, { training: true, labelSmoothing: settings.labelSmoothing }),
      epochs: settings.epochs ?? Number.POSITIVE_INFINITY,
      maxSteps: settings.maxSteps ?? undefined,
      timeBudgetMs: budgetMs,
      clipGradNorm: settings.clipGradNorm,
      validation: withValidation
        ? {
            evaluate: () => task.evaluate(model, validation),
            everySteps: options.validateEverySteps,
          }
        : undefined,
      earlyStopping:
        withValidation && settings.patience !== null
          ? { monitor: task.metric.name, mode: task.metric.mode, patience: settings.patience }
          : undefined,
      restoreBest:
        withValidation && settings.restoreBest
          ? { monitor: task.metric.name, mode: task.metric.mode }
          : undefined,
      signal: options.signal,
      checkpoint: options.checkpoint,
      resume: options.resume,
      tokensOf: task.size ? (b) => task.size!(b) : undefined,
      gradients: replicas
        ? (batch) => replicas.gradients(batch, settings.labelSmoothing)
        : undefined,
      averageDecay: settings.averageDecay ?? undefined,
      callbacks: {
        ...callbacks,
        onBatchEnd: async (e) => {
          if (decay) {
            // Linear decay with the run's progress: by steps, or by time under a budget.
            const bySteps = Number.isFinite(totalSteps) ? e.step / totalSteps : 0;
            const byTime = budgetMs ? (performance.now() - started) / budgetMs : 0;
            const progress = Math.min(1, Math.max(bySteps, byTime));
            optimizer.lr = settings.lr * (1 - (1 - settings.finalLrFactor) * progress);
          }
          await callbacks.onBatchEnd?.(e);
        },
      },
    });
    return {
      ...result,
      settings,
      examples: { train: train.length, validation: validation.length },
      batchesPerEpoch,
      validation: result.best?.results ?? null,
    };
  } finally {
    await pool?.close();
    optimizer.dispose();
    (model as Module).eval();
  }
}
