import type { Dataset, DatasetState, Rng } from '@seqzoo/data';
import type { Module } from '@seqzoo/layers';
import { type LrSchedule, movingAverage, type Optimizer } from '@seqzoo/optimizers';
import * as tf from '@tensorflow/tfjs-core';
import { EarlyStopping, type EarlyStoppingOptions } from './early-stopping';
import { FitOptionsError, TrainingDataError } from './errors';
import { type BatchMetrics, disposeBatch, evaluate } from './evaluate';
import type { Callbacks, EpochEndEvent } from './events';
import { applyGradients, trainStep, yieldToEventLoop } from './step';

/** What a loss function gets beside the model and the batch. */
export interface StepContext {
  step: number;
  epoch: number;
  /** `options.rng` (its state is checkpointed): use it for dropout masks, sampling… */
  rng?: Rng;
}

/** Computes the training loss of a batch (a scalar tensor). */
export type LossFn<B, M extends Module = Module> = (
  model: M,
  batch: B,
  context: StepContext,
) => tf.Scalar;

/** Where and how often `fit` writes checkpoints. */
export interface CheckpointOptions {
  /** Folder that holds the `ckpt-<step>` folders (Node). */
  dir: string;
  /** Write one every N steps (default: only at the end). */
  everySteps?: number;
  /** How many to keep (default 3). */
  keep?: number;
  /** Write one when training ends, stops early or is aborted (default true). */
  atEnd?: boolean;
}

/** `M`: the model's type, which the loss and validation functions receive (no casts). */
export interface FitOptions<B, M extends Module = Module> {
  optimizer: Optimizer;
  /** Default: `model.loss(batch)` when the model has one. */
  loss?: LossFn<B, M>;
  schedule?: LrSchedule;
  /** When the schedule steps: after each optimizer step (default) or at each epoch's end. */
  scheduleInterval?: 'step' | 'epoch';
  /** Epochs over `data` (default 1 unless maxSteps is given). */
  epochs?: number;
  /** Stop after this many optimizer steps in all (counting steps before a resume). */
  maxSteps?: number;
  /** Clip the global gradient norm to this value (torch's clip_grad_norm_). */
  clipGradNorm?: number;
  validation?: {
    /** Held-out batches: their mean loss is `loss` in the results. */
    data?: Dataset<B>;
    metrics?: BatchMetrics<B, M>;
    /** The loss on `data` (default: the training loss function). */
    loss?: (model: M, batch: B) => tf.Scalar;
    /** More results (a task's metrics on held-out examples), run in eval mode. */
    evaluate?: (model: M) => Promise<Record<string, number>>;
    /** Validate every N steps as well as at each epoch's end (default: epoch ends only). */
    everySteps?: number;
  };
  earlyStopping?: EarlyStoppingOptions;
  /**
   * Keep the best model on validation: after training (completed, stopped early, out of time or
   * steps, or aborted) the model holds the weights of the validation with the best `monitor`
   * (default: `earlyStopping.monitor`, else 'loss'), so that more training never leaves a worse
   * model. The best weights travel with checkpoints. Needs `validation`.
   */
  restoreBest?: boolean | { monitor?: string; mode?: 'min' | 'max' };
  /** Stop after the step that uses up this many milliseconds of this call's time. */
  timeBudgetMs?: number;
  callbacks?: Callbacks;
  signal?: AbortSignal;
  checkpoint?: CheckpointOptions;
  /**
   * Resume from a checkpoint: true = the newest under `checkpoint.dir` (start afresh when there is
   * none), or the path of one `ckpt-*` folder.
   */
  resume?: boolean | string;
  rng?: Rng;
  /** Tokens in a batch, for tokens/s in progress events. */
  tokensOf?: (batch: B) => number;
  /** Dispose the tensors found in each batch after its step (default true). */
  disposeBatches?: boolean;
  /**
   * The batch's mean loss and its gradients by parameter name, computed elsewhere (fitTask's
   * data-parallel workers); the step then clips, checks and applies them as usual. Default: the
   * gradients of `loss` on this thread.
   */
  gradients?: (
    batch: B,
    context: StepContext,
  ) => Promise<{ loss: number; grads: Map<string, tf.Tensor> }>;
  /**
   * Keep an exponential moving average of the parameters with this decay (0.999, say): each
   * validation, restore-best and the model left at the end use the average, not the last
   * parameters. Not checkpointed: a resumed run starts the average afresh.
   */
  averageDecay?: number;
}

/** Why training stopped. */
export type StopReason = 'completed' | 'maxSteps' | 'earlyStopping' | 'aborted' | 'timeBudget';

/** The validation that restore-best kept. */
export interface BestValidation {
  monitor: string;
  value: number;
  /** The step after which it was measured. */
  step: number;
  results: Record<string, number>;
}

/** What `fit` returns. */
export interface FitResult {
  /** Steps taken in all (including before a resume). */
  steps: number;
  /** Epochs completed. */
  epochs: number;
  stopReason: StopReason;
  /** Loss of each step this call ran, starting at step `firstStep`. */
  losses: number[];
  firstStep: number;
  /** Per-epoch summaries (including those before a resume). */
  history: EpochEndEvent[];
  lastCheckpoint: string | null;
  /** With `restoreBest`: the validation whose weights the model holds now (null: none ran). */
  best: BestValidation | null;
}

function lossOf<B, M extends Module>(model: M, options: FitOptions<B, M>): LossFn<B, M> {
  if (options.loss) return options.loss;
  const own = (model as unknown as { loss?: (batch: B) => tf.Scalar }).loss;
  if (typeof own !== 'function') {
    throw new FitOptionsError(
      'loss',
      'is required: the model has no loss(batch) method. Pass loss: (model, batch) => scalar.',
    );
  }
  return (m, batch) => own.call(m, batch);
}

function checkOptions<B, M extends Module>(options: FitOptions<B, M>) {
  const positive = (name: string, v: number | undefined) => {
    if (v !== undefined && !(Number.isInteger(v) && v > 0))
      throw new FitOptionsError(name, `must be a positive integer, got ${v}.`);
  };
  if (options.epochs !== Number.POSITIVE_INFINITY) positive('epochs', options.epochs);
  positive('maxSteps', options.maxSteps);
  positive('checkpoint.everySteps', options.checkpoint?.everySteps);
  positive('checkpoint.keep', options.checkpoint?.keep);
  positive('validation.everySteps', options.validation?.everySteps);
  if (options.clipGradNorm !== undefined && !(options.clipGradNorm > 0)) {
    throw new FitOptionsError('clipGradNorm', `must be a number > 0, got ${options.clipGradNorm}.`);
  }
  if (options.timeBudgetMs !== undefined && !(options.timeBudgetMs >= 0)) {
    throw new FitOptionsError('timeBudgetMs', `must be a number ≥ 0, got ${options.timeBudgetMs}.`);
  }
  if (
    options.averageDecay !== undefined &&
    options.averageDecay !== 0 &&
    !(options.averageDecay > 0 && options.averageDecay < 1)
  ) {
    throw new FitOptionsError(
      'averageDecay',
      `must be a number in (0, 1) such as 0.999 (0: none), got ${options.averageDecay}.`,
    );
  }
  if (options.restoreBest && !options.validation) {
    throw new FitOptionsError('restoreBest', 'needs validation: there is nothing to pick from.');
  }
  if (options.validation && !options.validation.data && !options.validation.evaluate) {
    throw new FitOptionsError('validation', 'needs data (held-out batches) or evaluate.');
  }
  if (options.resume && !options.checkpoint && typeof options.resume !== 'string') {
    throw new FitOptionsError('resume', 'is true but no checkpoint.dir says where to look.');
  }
  if (!options.optimizer || typeof options.optimizer.step !== 'function') {
    throw new FitOptionsError(
      'optimizer',
      'must be an optimizer from @seqzoo/optimizers (sgd, adam, …).',
    );
  }
}

/** Copies of the model's state dict (the caller disposes them). */
function snapshot(model: Module): Map<string, tf.Tensor> {
  const out = new Map<string, tf.Tensor>();
  for (const [k, t] of model.stateDict()) out.set(k, tf.clone(t));
  return out;
}

function disposeAll(map: Map<string, tf.Tensor> | null): void {
  if (map) for (const t of map.values()) t.dispose();
}

/**
 * Trains `model` on `data` (a dataset of batches): the loss's gradients, optional clipping, one
 * optimizer step and one schedule step per batch (`trainStep`), yielding to the event loop
 * between steps; validation, early stopping, restore-best, a time budget, callbacks and progress;
 * checkpoints that resume to the same trajectory. See the package README.
 */
export async function fit<B, M extends Module = Module>(
  model: M,
  data: Dataset<B>,
  options: FitOptions<B, M>,
): Promise<FitResult> {
  checkOptions(options);
  const loss = lossOf(model, options);
  const { optimizer, schedule, callbacks = {}, checkpoint } = options;
  const epochs = options.epochs ?? (options.maxSteps ? Number.POSITIVE_INFINITY : 1);
  const maxSteps = options.maxSteps ?? Number.POSITIVE_INFINITY;
  const early = options.earlyStopping ? new EarlyStopping(options.earlyStopping) : null;
  const rb = options.restoreBest;
  const bestTracker = rb
    ? new EarlyStopping({
        monitor:
          (typeof rb === 'object' ? rb.monitor : undefined) ??
          options.earlyStopping?.monitor ??
          'loss',
        mode: (typeof rb === 'object' ? rb.mode : undefined) ?? options.earlyStopping?.mode,
        patience: Number.MAX_SAFE_INTEGER,
      })
    : null;
  let bestWeights: Map<string, tf.Tensor> | null = null;
  let best: BestValidation | null = null;
  const ckpt = checkpoint ? await import('./checkpoint') : null;

  let step = 0;
  let position: DatasetState = { epoch: 0, index: 0 };
  let history: EpochEndEvent[] = [];
  let lastCheckpoint: string | null = null;
  let epochLoss = { sum: 0, steps: 0 };
  let stoppedEarly = false;

  if (checkpoint && ckpt) await ckpt.clearStaleTemps(checkpoint.dir);
  const resumeFrom =
    typeof options.resume === 'string'
      ? options.resume
      : options.resume && checkpoint && ckpt
        ? await ckpt.latestCheckpoint(checkpoint.dir)
        : null;
  if (resumeFrom) {
    const { restore } = await import('./restore');
    const r = await restore(resumeFrom, {
      model,
      optimizer,
      schedule,
      rng: options.rng,
      early,
      bestTracker,
    });
    ({ step, position, history, epochLoss } = r);
    stoppedEarly = r.stoppedEarly;
    lastCheckpoint = resumeFrom;
    if (bestTracker) {
      bestWeights = r.bestWeights;
      best = r.best as BestValidation | null;
    } else disposeAll(r.bestWeights);
  }

  const save = async (at: DatasetState): Promise<void> => {
    if (!checkpoint || !ckpt) return;
    const opt = optimizer.stateDict();
    try {
      lastCheckpoint = await ckpt.writeCheckpoint(
        checkpoint.dir,
        {
          step,
          position: at,
          optimizer: opt.meta,
          schedule: schedule?.stateDict() ?? null,
          rng: options.rng?.state() ?? null,
          earlyStopping: early?.state ?? null,
          history,
          epochLoss,
          stoppedEarly,
          ...(bestTracker ? { restoreBest: { tracker: bestTracker.state, best } } : {}),
        },
        model.stateDict(),
        opt.tensors,
        bestWeights ?? undefined,
      );
    } finally {
      for (const t of opt.tensors.values()) t.dispose();
    }
    await ckpt.pruneCheckpoints(checkpoint.dir, checkpoint.keep ?? 3);
    await callbacks.onCheckpoint?.({ step, path: lastCheckpoint });
  };

  // After a resume, the average starts from the restored parameters.
  const average = options.averageDecay
    ? movingAverage(model.namedParameters(), { decay: options.averageDecay })
    : null;

  let validatedAt = -1;
  const validate = async (epoch: number) => {
    if (!options.validation) return undefined;
    // The average is what validation measures and restore-best keeps.
    average?.swap();
    try {
      return await validateHere(epoch);
    } finally {
      average?.swap();
    }
  };
  const validateHere = async (epoch: number) => {
    const v = options.validation!;
    let results: Record<string, number> = {};
    if (v.data) {
      const valLoss = v.loss ?? ((m: M, b: B) => loss(m, b, { step, epoch, rng: options.rng }));
      results = await evaluate(model, v.data, {
        loss: valLoss,
        metrics: v.metrics,
        disposeBatches: options.disposeBatches,
      });
    }
    if (v.evaluate) {
      const wasTraining = model.training;
      model.eval();
      try {
        results = { ...results, ...(await v.evaluate(model)) };
      } finally {
        model.train(wasTraining);
      }
    }
    validatedAt = step;
    if (bestTracker && bestTracker.update(results, step) === 'improved') {
      disposeAll(bestWeights);
      bestWeights = snapshot(model);
      best = { monitor: bestTracker.monitor, value: results[bestTracker.monitor], step, results };
    }
    await callbacks.onValidation?.({ step, epoch, results });
    return results;
  };

  const losses: number[] = [];
  const firstStep = step + 1;
  const started = performance.now();
  const outOfTime = () =>
    options.timeBudgetMs !== undefined && performance.now() - started >= options.timeBudgetMs;
  let tokens = 0;
  let stepsPerEpoch = data.size;
  let stopReason: StopReason = stoppedEarly ? 'earlyStopping' : 'completed';
  model.train();

  try {
    outer: while (!stoppedEarly && position.epoch < epochs && step < maxSteps) {
      const epoch = position.epoch;
      const startIndex = position.index;
      let taken = 0;
      if (outOfTime()) {
        stopReason = 'timeBudget';
        break;
      }
      const iterator = data.iterator(position);
      try {
        for await (const batch of iterator) {
          taken += 1;
          if (options.signal?.aborted) {
            disposeBatch(batch);
            // The batch was taken but not trained on: resume at it.
            position = { epoch, index: iterator.state().index - 1 };
            stopReason = 'aborted';
            break outer;
          }
          const context: StepContext = { step: step + 1, epoch, rng: options.rng };
          let result: { loss: number; gradNorm: number };
          const stepOptions = {
            optimizer,
            clipGradNorm: options.clipGradNorm,
            step: step + 1,
            lastCheckpoint,
          };
          try {
            if (options.gradients) {
              const g = await options.gradients(batch, context);
              result = applyGradients(g.loss, g.grads, stepOptions);
            } else {
              result = await trainStep(model, () => loss(model, batch, context), stepOptions);
            }
            average?.update();
          } finally {
            if (options.disposeBatches !== false) disposeBatch(batch);
          }
          const { loss: lossValue, gradNorm } = result;
          step += 1;
          if (schedule && options.scheduleInterval !== 'epoch') schedule.step();
          position = iterator.state();
          losses.push(lossValue);
          epochLoss = { sum: epochLoss.sum + lossValue, steps: epochLoss.steps + 1 };
          if (options.tokensOf) tokens += options.tokensOf(batch);

          const event = { step, epoch, loss: lossValue, gradNorm, lr: optimizer.lr };
          await callbacks.onBatchEnd?.(event);
          if (callbacks.onProgress) {
            const elapsedMs = performance.now() - started;
            const done = step - firstStep + 1;
            const total = Number.isFinite(maxSteps)
              ? maxSteps
              : stepsPerEpoch !== undefined && Number.isFinite(epochs)
                ? stepsPerEpoch * epochs
                : undefined;
            await callbacks.onProgress({
              ...event,
              totalSteps: total,
              stepsPerSecond: (done / elapsedMs) * 1000,
              tokensPerSecond: options.tokensOf ? (tokens / elapsedMs) * 1000 : undefined,
              elapsedMs,
              etaMs: total === undefined ? undefined : ((total - step) * elapsedMs) / done,
            });
          }
          if (options.validation?.everySteps && step % options.validation.everySteps === 0) {
            const results = await validate(epoch);
            if (early && results && early.update(results, step) === 'stop') {
              stopReason = 'earlyStopping';
              stoppedEarly = true;
              break outer;
            }
          }
          if (checkpoint?.everySteps && step % checkpoint.everySteps === 0) await save(position);
          if (step >= maxSteps) {
            stopReason = 'maxSteps';
            break outer;
          }
          if (outOfTime()) {
            stopReason = 'timeBudget';
            break outer;
          }
          // Timers, I/O, signals and a page's rendering run between steps.
          await yieldToEventLoop();
        }
      } finally {
        await iterator.return?.();
      }
      if (taken === 0 && startIndex === 0) {
        throw new TrainingDataError(
          'train',
          `epoch ${epoch} yielded no batches: the training data is empty or too small for one batch.`,
        );
      }
      // The epoch is complete.
      stepsPerEpoch ??= position.index;
      const summary: EpochEndEvent = {
        epoch,
        step,
        loss: epochLoss.steps ? epochLoss.sum / epochLoss.steps : Number.NaN,
      };
      epochLoss = { sum: 0, steps: 0 };
      const results = await validate(epoch);
      if (results) summary.validation = results;
      history = [...history, summary];
      if (schedule && options.scheduleInterval === 'epoch') schedule.step(results?.loss);
      position = { epoch: epoch + 1, index: 0 };
      await callbacks.onEpochEnd?.(summary);
      if (early && results && early.update(results, step) === 'stop') {
        stopReason = 'earlyStopping';
        stoppedEarly = true;
        break;
      }
    }
    if (stopReason === 'completed' && step >= maxSteps) stopReason = 'maxSteps';
    // A budget that ran out mid-epoch: validate what the last steps made, so that they count.
    if (
      bestTracker &&
      (stopReason === 'maxSteps' || stopReason === 'timeBudget') &&
      validatedAt !== step &&
      losses.length > 0
    ) {
      await validate(position.epoch);
    }
    // The final checkpoint, unless this step is saved already (an early stop re-saves it to record
    // that the run is over) or this call resumed a finished run and took no step.
    const savedHere =
      lastCheckpoint?.endsWith(String(step).padStart(9, '0')) && stopReason !== 'earlyStopping';
    if (
      checkpoint &&
      checkpoint.atEnd !== false &&
      !savedHere &&
      losses.length + (resumeFrom ? 0 : 1) > 0
    ) {
      await save(position);
    }
    // Restore-best: the model leaves with the weights of its best validation; else with the
    // average when one is kept.
    if (bestTracker && bestWeights) model.loadStateDict(bestWeights, { strict: true });
    else if (average && losses.length > 0) average.swap();
  } finally {
    disposeAll(bestWeights);
    average?.dispose();
  }
  return {
    steps: step,
    epochs: position.epoch,
    stopReason,
    losses,
    firstStep,
    history,
    lastCheckpoint,
    best,
  };
}
