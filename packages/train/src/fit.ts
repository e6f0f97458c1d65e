import type { Dataset, DatasetState, Rng } from '@seqzoo/data';
import { type Module, valueAndGrads } from '@seqzoo/layers';
import { clipGradNorm, type LrSchedule, type Optimizer } from '@seqzoo/optimizers';
import * as tf from '@tensorflow/tfjs-core';
import { EarlyStopping, type EarlyStoppingOptions } from './early-stopping';
import { FitOptionsError, NonFiniteLossError } from './errors';
import { type BatchMetrics, disposeBatch, evaluate } from './evaluate';
import type { Callbacks, EpochEndEvent } from './events';

/** What a loss function gets beside the model and the batch. */
export interface StepContext {
  step: number;
  epoch: number;
  /** `options.rng` (its state is checkpointed): use it for dropout masks, sampling… */
  rng?: Rng;
}

export type LossFn<B> = (model: Module, batch: B, context: StepContext) => tf.Scalar;

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

export interface FitOptions<B> {
  optimizer: Optimizer;
  /** Default: `model.loss(batch)` when the model has one. */
  loss?: LossFn<B>;
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
    data: Dataset<B>;
    metrics?: BatchMetrics<B>;
    /** Validate every N steps as well as at each epoch's end (default: epoch ends only). */
    everySteps?: number;
  };
  earlyStopping?: EarlyStoppingOptions;
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
}

export type StopReason = 'completed' | 'maxSteps' | 'earlyStopping' | 'aborted';

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
}

function lossOf<B>(model: Module, options: FitOptions<B>): LossFn<B> {
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

function checkOptions<B>(options: FitOptions<B>) {
  const positive = (name: string, v: number | undefined) => {
    if (v !== undefined && !(Number.isInteger(v) && v > 0))
      throw new FitOptionsError(name, `must be a positive integer, got ${v}.`);
  };
  positive('epochs', options.epochs);
  positive('maxSteps', options.maxSteps);
  positive('checkpoint.everySteps', options.checkpoint?.everySteps);
  positive('checkpoint.keep', options.checkpoint?.keep);
  positive('validation.everySteps', options.validation?.everySteps);
  if (options.clipGradNorm !== undefined && !(options.clipGradNorm > 0)) {
    throw new FitOptionsError('clipGradNorm', `must be a number > 0, got ${options.clipGradNorm}.`);
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

function globalNorm(grads: Map<string, tf.Tensor>): number {
  const n = tf.tidy(() => tf.sqrt(tf.addN([...grads.values()].map((g) => tf.sum(tf.square(g))))));
  const v = n.dataSync()[0];
  n.dispose();
  return v;
}

/**
 * Trains `model` on `data` (a dataset of batches): the loss's gradients, optional clipping, one
 * optimizer step and one schedule step per batch; validation, early stopping, callbacks and
 * progress; checkpoints that resume to the same trajectory. See the package README.
 */
export async function fit<B>(
  model: Module,
  data: Dataset<B>,
  options: FitOptions<B>,
): Promise<FitResult> {
  checkOptions(options);
  const loss = lossOf(model, options);
  const { optimizer, schedule, callbacks = {}, checkpoint } = options;
  const epochs = options.epochs ?? (options.maxSteps ? Number.POSITIVE_INFINITY : 1);
  const maxSteps = options.maxSteps ?? Number.POSITIVE_INFINITY;
  const early = options.earlyStopping ? new EarlyStopping(options.earlyStopping) : null;
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
    const r = await restore(resumeFrom, { model, optimizer, schedule, rng: options.rng, early });
    ({ step, position, history, epochLoss } = r);
    stoppedEarly = r.stoppedEarly;
    lastCheckpoint = resumeFrom;
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
        },
        model.stateDict(),
        opt.tensors,
      );
    } finally {
      for (const t of opt.tensors.values()) t.dispose();
    }
    await ckpt.pruneCheckpoints(checkpoint.dir, checkpoint.keep ?? 3);
    await callbacks.onCheckpoint?.({ step, path: lastCheckpoint });
  };

  const validate = async (epoch: number) => {
    if (!options.validation) return undefined;
    const results = await evaluate(model, options.validation.data, {
      loss: (m, b) => loss(m, b, { step, epoch, rng: options.rng }),
      metrics: options.validation.metrics,
      disposeBatches: options.disposeBatches,
    });
    await callbacks.onValidation?.({ step, epoch, results });
    return results;
  };

  const losses: number[] = [];
  const firstStep = step + 1;
  const started = performance.now();
  let tokens = 0;
  let stepsPerEpoch = data.size;
  let stopReason: StopReason = stoppedEarly ? 'earlyStopping' : 'completed';
  model.train();

  outer: while (!stoppedEarly && position.epoch < epochs && step < maxSteps) {
    const epoch = position.epoch;
    const iterator = data.iterator(position);
    try {
      for await (const batch of iterator) {
        if (options.signal?.aborted) {
          disposeBatch(batch);
          // The batch was taken but not trained on: resume at it.
          position = { epoch, index: iterator.state().index - 1 };
          stopReason = 'aborted';
          break outer;
        }
        const context: StepContext = { step: step + 1, epoch, rng: options.rng };
        const { value, grads } = valueAndGrads(model, () => loss(model, batch, context));
        const lossValue = (await value.data())[0];
        value.dispose();
        let applied = grads;
        let gradNorm: number;
        if (options.clipGradNorm !== undefined) {
          const clipped = clipGradNorm(grads, options.clipGradNorm);
          gradNorm = clipped.totalNorm;
          applied = clipped.grads;
          for (const g of grads.values()) g.dispose();
        } else {
          gradNorm = grads.size ? globalNorm(grads) : 0;
        }
        if (options.disposeBatches !== false) disposeBatch(batch);
        if (!Number.isFinite(lossValue) || !Number.isFinite(gradNorm)) {
          for (const g of applied.values()) g.dispose();
          throw new NonFiniteLossError(step + 1, lossValue, gradNorm, lastCheckpoint);
        }
        optimizer.step(applied);
        for (const g of applied.values()) g.dispose();
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
      }
    } finally {
      await iterator.return?.();
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
  return {
    steps: step,
    epochs: position.epoch,
    stopReason,
    losses,
    firstStep,
    history,
    lastCheckpoint,
  };
}
