import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { BackendName } from '@seqzoo/backend';
import type { Module } from '@seqzoo/layers';
import { loadModel, type Registry, saveModel, validateConfig } from '@seqzoo/registry';
import {
  type FitTaskResult,
  fitTask,
  holdOut,
  latestCheckpoint,
  type ProgressEvent,
  resolveTaskSettings,
  TrainingDataError,
} from '@seqzoo/train';
import * as tf from '@tensorflow/tfjs-core';
import { CliError, fileSystemError } from '../errors';
import { configFromArgs } from './config-args';
import { type DataArgs, loadSplits } from './examples';
import { readLossHistory, writeLossFiles } from './loss-plot';
import type { Reporter } from './progress';
import { taskOf } from './saved';

export interface TrainArgs extends DataArgs {
  config?: string;
  set: string[];
  backend: string;
  epochs?: number;
  maxMinutes?: number;
  maxSteps?: number;
  out: string;
  resume?: boolean;
  seed: number;
  /** Default: the model's. */
  batchSize?: number;
  lr?: number;
  clip?: number;
  labelSmoothing?: number;
  patience?: number;
  validateEvery?: number;
  checkpointEvery?: number;
  /** Hold out this fraction of the examples for validation (default: the model's; 0: none). */
  validFraction?: number;
  /** Data-parallel threads (default 1). */
  workers?: number;
  /** The parameters' moving average (default: the model's; 0: none). */
  averageDecay?: number;
}

/** What `seqzoo train` ends with: its printed output, the fit result and why it stopped. */
export interface TrainOutcome {
  out: string;
  result: FitTaskResult;
  interrupted: boolean;
  /** fitTask's stop reason, or 'interrupted' (Ctrl-C) or 'maxMinutes' (the time budget). */
  stopReason: string;
}

/** Names the flag of the data that cannot train a model. */
function dataError(error: unknown, args: DataArgs): unknown {
  if (!(error instanceof TrainingDataError)) return error;
  const flag = args.data
    ? `--data ${args.data}`
    : args.dataset
      ? `--dataset ${args.dataset}`
      : '--data';
  return new CliError(`${flag}: ${error.message}`);
}

/**
 * `seqzoo train`: builds (or, with --resume, reloads) any registered model that declares a task,
 * reads its examples (--data as the task's example kind, or one of its --dataset names), builds
 * its vocabularies from the training split, and trains it with @seqzoo/train's `fitTask` —
 * validation split, restore-best, checkpoints under `<out>/checkpoints`, progress to the
 * reporter — then saves it to `out`. SIGINT (Ctrl-C) stops after the current step.
 */
export async function trainCommand(
  registry: Registry,
  id: string,
  args: TrainArgs,
  reporter: Reporter,
): Promise<TrainOutcome> {
  const definition = registry.definition(id); // an unknown id: UnknownModelError
  const task = taskOf(registry, id, 'train');
  if (args.epochs !== undefined && args.maxMinutes !== undefined) {
    throw new CliError('give --epochs or --max-minutes, not both.');
  }
  const userConfig = await configFromArgs(args.config, args.set);
  // Config errors first, before any data is read.
  validateConfig(id, definition.configSchema, { seed: args.seed, ...userConfig });
  const checkpoints = join(args.out, 'checkpoints');
  let loaded: Module | null = null;
  if (args.resume && !(await latestCheckpoint(checkpoints).catch(() => null))) {
    throw new CliError(
      `--resume: ${args.out} holds no checkpoint (${checkpoints}/ckpt-*); give the --out of the run to continue, or train without --resume to start afresh.`,
    );
  }
  if (args.resume && existsSync(join(args.out, 'model.json'))) {
    const saved = await loadModel(registry, args.out, { backend: args.backend as BackendName });
    if (saved.id !== id) {
      throw new CliError(
        `--resume: ${args.out} holds a '${saved.id}' model, not '${id}'; pick another --out or the same id.`,
      );
    }
    loaded = saved.model as unknown as Module;
    // The data order and hold-out must be those the checkpoints were written with.
    const t = saved.training as { seed?: number; batchSize?: number };
    if (t.seed !== undefined) args = { ...args, seed: t.seed };
    if (t.batchSize !== undefined) args = { ...args, batchSize: t.batchSize };
  }
  const fitOptions = {
    lr: args.lr,
    batchSize: args.batchSize,
    clipGradNorm: args.clip,
    labelSmoothing: args.labelSmoothing,
    epochs: args.epochs,
    maxMinutes: args.maxMinutes,
    maxSteps: args.maxSteps,
    validationSplit: args.validFraction,
    validateEverySteps: args.validateEvery,
    patience: args.patience,
    seed: args.seed,
    workers: args.workers,
    averageDecay: args.averageDecay,
  };
  const settings = resolveTaskSettings(task.training, fitOptions);
  const { splits: loadedSplits, config: datasetConfig } = await loadSplits(task, id, args);
  let splits: ReturnType<typeof holdOut<unknown>>;
  try {
    splits = holdOut(loadedSplits, settings.validationSplit, settings.seed);
  } catch (error) {
    throw dataError(error, args);
  }
  const config = { seed: args.seed, ...datasetConfig, ...userConfig };
  const model =
    loaded ??
    ((await registry.create(id, config, {
      backend: args.backend as BackendName,
      vocabularies: task.vocabularies?.(splits.train, config),
    })) as unknown as Module);
  const training = {
    examples: task.examples,
    data: args.data ?? null,
    dataset: args.dataset ?? null,
    textColumn: args.textColumn ?? null,
    labelColumn: args.labelColumn ?? null,
    size: args.size ?? null,
    seed: args.seed,
    batchSize: settings.batchSize,
    lr: settings.lr,
    workers: settings.workers,
    averageDecay: settings.averageDecay,
    backend: tf.getBackend(),
    maxMinutes: args.maxMinutes ?? null,
  };
  const save = async (extra: Record<string, unknown>) => {
    try {
      await saveModel(registry, model as never, args.out, { training: { ...training, ...extra } });
    } catch (error) {
      throw fileSystemError(error, args.out, '--out');
    }
  };
  // Saved before training too: the folder then holds the vocabularies a resume needs.
  if (!loaded) await save({});

  const controller = new AbortController();
  let interrupted = false;
  const onSigint = () => {
    if (interrupted) return; // the second Ctrl-C: cli.ts drains the output and leaves
    interrupted = true;
    controller.abort();
  };
  process.on('SIGINT', onSigint);
  // This run's losses continue those up to the checkpoint it resumes (none for a fresh run).
  const resumeStep = loaded ? await latestStep(checkpoints) : 0;
  const history = await readLossHistory(args.out, resumeStep);
  reporter.event('start', {
    modelId: id,
    backend: tf.getBackend(),
    examples: splits.train.length,
    validationExamples: splits.validation.length,
    parameters: [...model.namedParameters().values()].reduce((n, v) => n + v.size, 0),
    out: args.out,
    resumed: loaded !== null,
  });
  let result: FitTaskResult;
  const startedAt = performance.now();
  try {
    result = await fitTask(model, task as never, splits, {
      ...fitOptions,
      validationSplit: 0, // held out above
      signal: controller.signal,
      checkpoint: { dir: checkpoints, everySteps: args.checkpointEvery, keep: 2 },
      resume: Boolean(args.resume),
      callbacks: {
        onProgress: (e) => {
          history.steps.push(e.step);
          history.losses.push(e.loss);
          reporter.progress(budgeted(e, args.maxMinutes, resumeStep));
        },
        onEpochEnd: (e) => {
          history.epochs.push({ step: e.step, loss: e.loss, validation: e.validation?.loss });
          reporter.epoch(e);
        },
        onCheckpoint: (c) => reporter.checkpoint(c),
      },
    });
  } catch (error) {
    throw dataError(fileSystemError(error), args);
  } finally {
    process.off('SIGINT', onSigint);
    reporter.stop();
  }
  const stopReason = stopReasonOf(result, interrupted);
  await save({
    steps: result.steps,
    epochs: result.epochs,
    // This run's wall-clock training time (a resumed run: since it resumed).
    minutes: (performance.now() - startedAt) / 60_000,
    stopReason,
    validation: result.validation,
    bestStep: result.best?.step ?? null,
  });
  await writeLossFiles(args.out, history);
  reporter.event('done', {
    steps: result.steps,
    epochs: result.epochs,
    stopReason,
    loss: result.losses.at(-1) ?? null,
    validation: result.validation,
    bestStep: result.best?.step ?? null,
    checkpoint: result.lastCheckpoint,
    out: args.out,
  });
  return { out: args.out, result, interrupted, stopReason };
}

/**
 * With --max-minutes, fit's total (epochs × batches) means nothing: the total and ETA become
 * the time budget's, at this run's pace, so that the bar fills as the budget runs out.
 */
function budgeted(
  e: ProgressEvent,
  maxMinutes: number | undefined,
  firstStep: number,
): ProgressEvent {
  if (maxMinutes === undefined || !(e.elapsedMs > 0)) return e;
  const remainingMs = Math.max(0, maxMinutes * 60_000 - e.elapsedMs);
  const perMs = (e.step - firstStep) / e.elapsedMs;
  return { ...e, totalSteps: e.step + Math.round(remainingMs * perMs), etaMs: remainingMs };
}

async function latestStep(dir: string): Promise<number> {
  const path = await latestCheckpoint(dir).catch(() => null);
  return path ? Number(path.slice(-9)) : 0;
}

function stopReasonOf(result: FitTaskResult, interrupted: boolean): string {
  if (interrupted) return 'interrupted';
  return result.stopReason === 'timeBudget' ? 'maxMinutes' : result.stopReason;
}
