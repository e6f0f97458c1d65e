import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { BackendName } from '@seqzoo/backend';
import { charTokenizer, Dataset, Rng, Vocab } from '@seqzoo/data';
import type { Module } from '@seqzoo/layers';
import { adam } from '@seqzoo/optimizers';
import { loadModel, type Registry, saveModel, validateConfig } from '@seqzoo/registry';
import { disposeTensors, type Seq2SeqModel } from '@seqzoo/seq2seq';
import { type FitResult, fit, latestCheckpoint, type ProgressEvent } from '@seqzoo/train';
import type { RecurrentLM } from '@seqzoo/zoo';
import * as tf from '@tensorflow/tfjs-core';
import { CliError } from '../errors';
import { configFromArgs } from './config-args';
import { readLossHistory, writeLossFiles } from './loss-plot';
import type { Reporter } from './progress';
import {
  classifierData,
  type DataArgs,
  lmData,
  seq2seqData,
  type TaskKind,
  taskKind,
} from './task-data';

export interface TrainArgs extends DataArgs {
  config?: string;
  set: string[];
  backend: string;
  epochs?: number;
  maxMinutes?: number;
  out: string;
  resume?: boolean;
  seed: number;
  batchSize: number;
  lr?: number;
  checkpointEvery?: number;
  /** Hold out this fraction of the examples (classifiers, seq2seq) for validation each epoch. */
  validFraction?: number;
}

export interface TrainOutcome {
  out: string;
  result: FitResult;
  interrupted: boolean;
  /** fit's stop reason, or 'interrupted' (Ctrl-C) or 'maxMinutes' (the time budget). */
  stopReason: string;
}

/** A classifier as the CLI drives it (rnn- and bow-classifier). */
interface Classifier extends Module {
  isFitted: boolean;
  prepare(texts: readonly string[], labels: readonly string[]): unknown;
  predict(texts: readonly string[]): string[];
}

interface Plan<B> {
  model: Module;
  batches: B[];
  /** Held-out batches (--valid-fraction), with the metrics to compute on them. */
  validation?: {
    batches: B[];
    metrics?: (model: Module, batch: B) => Record<string, { sum: number; count: number }>;
  };
  examples: number;
  loss?: (model: Module, batch: B) => tf.Scalar;
  tokensOf: (batch: B) => number;
  lr: number;
  clip: number;
  after?: () => void;
}

const DEFAULT_LR: Record<TaskKind, number> = { classifier: 5e-3, seq2seq: 5e-3, lm: 3e-3 };

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Items in a seeded random order (the same for a resumed run). */
/** The items split into training and held-out (the last `fraction` of them). */
function split<T>(items: readonly T[], fraction: number | undefined): [T[], T[]] {
  if (!fraction) return [[...items], []];
  const held = Math.max(1, Math.round(items.length * fraction));
  if (held >= items.length) {
    throw new CliError(`--valid-fraction ${fraction} leaves no training examples.`);
  }
  return [items.slice(0, items.length - held), items.slice(items.length - held)];
}

function shuffled<T>(items: readonly T[], seed: number): T[] {
  return new Rng(seed).shuffle([...items]);
}

const words = (s: string) => s.split(/\s+/).filter(Boolean).length;

async function plan(
  registry: Registry,
  id: string,
  kind: TaskKind,
  args: TrainArgs,
  config: Record<string, unknown>,
  loaded: Module | null,
): Promise<Plan<unknown>> {
  const backend = args.backend as BackendName;
  const withSeed = { seed: args.seed, ...config };
  if (kind === 'classifier') {
    const data = await classifierData(args);
    const model = (loaded ?? (await registry.create(id, withSeed, { backend }))) as Classifier;
    const [trainIdx, validIdx] = split(
      shuffled(
        data.texts.map((_, i) => i),
        args.seed,
      ),
      args.validFraction,
    );
    if (!model.isFitted) {
      model.prepare(
        trainIdx.map((i) => data.texts[i]),
        trainIdx.map((i) => data.labels[i]),
      );
    }
    const batchesOf = (order: number[]) =>
      chunks(order, args.batchSize).map((idx) => ({
        texts: idx.map((i) => data.texts[i]),
        labels: idx.map((i) => data.labels[i]),
      }));
    const batches = batchesOf(trainIdx);
    type B = (typeof batches)[number];
    return {
      model,
      batches,
      validation: validIdx.length
        ? {
            batches: batchesOf(validIdx),
            metrics: (_m, b) => {
              const { texts, labels } = b as B;
              const predicted = model.predict(texts);
              const right = predicted.filter((p, i) => p === labels[i]).length;
              return { accuracy: { sum: right, count: labels.length } };
            },
          }
        : undefined,
      examples: trainIdx.length,
      tokensOf: (b) => (b as { texts: string[] }).texts.reduce((n, t) => n + words(t), 0),
      lr: args.lr ?? (id === 'zoo:bow-classifier' ? 0.05 : DEFAULT_LR.classifier),
      clip: 5,
    };
  }
  if (kind === 'seq2seq') {
    const [pairs, held] = split(shuffled(await seq2seqData(args), args.seed), args.validFraction);
    const chars = charTokenizer();
    const model = (loaded ??
      (await registry.create(id, withSeed, {
        backend,
        vocabularies: {
          source: Vocab.fromTokens(pairs.flatMap((p) => chars.tokenize(p.source)).sort()).toJSON(),
          target: Vocab.fromTokens(pairs.flatMap((p) => chars.tokenize(p.target)).sort()).toJSON(),
          sourceTokenizer: chars.toJSON(),
          targetTokenizer: chars.toJSON(),
        },
      }))) as Seq2SeqModel;
    const t = model.translator;
    const batchesOf = (list: typeof pairs) =>
      chunks(list, args.batchSize).map((items) => ({
        sources: items.map((p) => t.encodeSource(p.source)),
        targets: items.map((p) => t.encodeTarget(p.target)),
      }));
    const batches = batchesOf(pairs);
    type B = (typeof batches)[number];
    return {
      model,
      batches,
      validation: held.length ? { batches: batchesOf(held) } : undefined,
      examples: pairs.length,
      loss: (_m, b) => {
        const { sources, targets } = b as B;
        const tensors = model.tensors(sources, targets);
        try {
          return model.loss(tensors, { labelSmoothing: 0.05 });
        } finally {
          disposeTensors(tensors);
        }
      },
      tokensOf: (b) => (b as B).targets.reduce((n, x) => n + x.length + 1, 0),
      lr: args.lr ?? DEFAULT_LR.seq2seq,
      clip: 5,
    };
  }
  if (args.validFraction) {
    throw new CliError(
      '--valid-fraction is for classifiers and seq2seq; a language model trains on all of --data.',
    );
  }
  const texts = await lmData(args);
  const model = (loaded ?? (await registry.create(id, withSeed, { backend }))) as RecurrentLM;
  const batches = model.windows(texts, { batchSize: args.batchSize, seed: args.seed });
  return {
    model,
    batches,
    examples: texts.length,
    tokensOf: (b) => {
      const w = b as { input: number[][] };
      return w.input.length * (w.input[0]?.length ?? 0);
    },
    lr: args.lr ?? DEFAULT_LR.lm,
    clip: 1,
    after: () => model.resetState(),
  };
}

/**
 * `seqzoo train`: builds (or, with --resume, reloads) the model, trains it with @seqzoo/train's
 * fit — checkpoints under `<out>/checkpoints`, progress to the reporter — and saves it to `out`.
 * SIGINT (Ctrl-C) or the --max-minutes budget stops after the current step with a checkpoint.
 */
export async function trainCommand(
  registry: Registry,
  id: string,
  args: TrainArgs,
  reporter: Reporter,
): Promise<TrainOutcome> {
  registry.definition(id); // an unknown id: UnknownModelError, naming the registered ones
  const kind = taskKind(id);
  if (args.epochs !== undefined && args.maxMinutes !== undefined) {
    throw new CliError('give --epochs or --max-minutes, not both.');
  }
  const config = await configFromArgs(args.config, args.set);
  // Config errors first, before any data is read.
  validateConfig(id, registry.definition(id).configSchema, { seed: args.seed, ...config });
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
    // The data order must be the one the checkpoints were written with.
    const t = saved.training as { seed?: number; batchSize?: number };
    if (t.seed !== undefined) args = { ...args, seed: t.seed };
    if (t.batchSize !== undefined) args = { ...args, batchSize: t.batchSize };
  }
  const p = await plan(registry, id, kind, args, config, loaded);
  const { model } = p;
  const training = {
    kind,
    data: args.data ?? null,
    dataset: args.dataset ?? null,
    textColumn: args.textColumn ?? null,
    labelColumn: args.labelColumn ?? null,
    seed: args.seed,
    batchSize: args.batchSize,
    lr: p.lr,
  };
  // Saved before training too: the folder then holds the vocabularies a resume needs.
  if (!loaded) await saveModel(registry, model as never, args.out, { training });

  const controller = new AbortController();
  let interrupted = false;
  const onSigint = () => {
    if (interrupted) process.exit(130); // a second Ctrl-C: leave now
    interrupted = true;
    controller.abort();
  };
  process.on('SIGINT', onSigint);
  let timedOut = false;
  const timer =
    args.maxMinutes !== undefined
      ? setTimeout(() => {
          timedOut = true;
          controller.abort();
        }, args.maxMinutes * 60_000)
      : undefined;
  const optimizer = adam(model.namedParameters(), { lr: p.lr });
  // This run's losses continue those up to the checkpoint it resumes (none for a fresh run).
  const resumeStep = loaded ? await latestStep(checkpoints) : 0;
  const history = await readLossHistory(args.out, resumeStep);
  reporter.event('start', {
    modelId: id,
    backend: tf.getBackend(),
    examples: p.examples,
    batches: p.batches.length,
    parameters: model.numParameters(),
    out: args.out,
    resumed: loaded !== null,
  });
  let result: FitResult;
  try {
    result = await fit(model, Dataset.from(p.batches), {
      optimizer,
      loss: p.loss,
      epochs: args.maxMinutes !== undefined ? 1_000_000 : (args.epochs ?? 5),
      clipGradNorm: p.clip,
      validation: p.validation && {
        data: Dataset.from(p.validation.batches),
        metrics: p.validation.metrics,
      },
      signal: controller.signal,
      checkpoint: { dir: checkpoints, everySteps: args.checkpointEvery, keep: 2 },
      resume: Boolean(args.resume),
      tokensOf: p.tokensOf,
      callbacks: {
        onProgress: async (e) => {
          history.steps.push(e.step);
          history.losses.push(e.loss);
          reporter.progress(budgeted(e, args.maxMinutes, resumeStep));
          // Yield to the event loop so that a SIGINT is seen between steps.
          await new Promise((r) => setImmediate(r));
        },
        onEpochEnd: (e) => {
          history.epochs.push({ step: e.step, loss: e.loss, validation: e.validation?.loss });
          reporter.epoch(e);
        },
        onCheckpoint: (c) => reporter.checkpoint(c),
      },
    });
  } finally {
    clearTimeout(timer);
    process.off('SIGINT', onSigint);
    reporter.stop();
    p.after?.();
  }
  model.eval();
  await saveModel(registry, model as never, args.out, {
    training: {
      ...training,
      steps: result.steps,
      epochs: result.epochs,
      stopReason: result.stopReason,
    },
  });
  optimizer.dispose();
  await writeLossFiles(args.out, history);
  reporter.event('done', {
    steps: result.steps,
    epochs: result.epochs,
    stopReason: stopReasonOf(result, interrupted, timedOut),
    loss: result.losses.at(-1) ?? null,
    checkpoint: result.lastCheckpoint,
    out: args.out,
  });
  return {
    out: args.out,
    result,
    interrupted,
    stopReason: stopReasonOf(result, interrupted, timedOut),
  };
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

function stopReasonOf(result: FitResult, interrupted: boolean, timedOut: boolean): string {
  if (interrupted) return 'interrupted';
  return timedOut && result.stopReason === 'aborted' ? 'maxMinutes' : result.stopReason;
}
