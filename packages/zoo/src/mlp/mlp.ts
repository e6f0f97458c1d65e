import { Dataset, mixSeed, Rng } from '@seqzoo/data';
import { type ActivationName, Dense, Module } from '@seqzoo/layers';
import { adam, type Optimizer } from '@seqzoo/optimizers';
import { fit } from '@seqzoo/train';
import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import { checkPositiveInt, checkRange, parseConfig, ZooConfigError } from '../errors';
import { MAX_LAYERS, MAX_VOCAB, MAX_WIDTH } from '../limits';
import type { TrainHistory, ZooFitOptions } from '../task/fit-with-task';

const activation = z.enum(['linear', 'relu', 'tanh', 'sigmoid', 'elu', 'gelu']);

/** The config schema of `zoo:mlp` (input size, hidden sizes, activations, output). */
export const zooMlpConfigSchema = z.object({
  /** Length of each feature vector. */
  inputSize: z.number().int().positive().max(MAX_VOCAB),
  /** Hidden layer sizes; [] is the single-layer perceptron (logistic/softmax regression). */
  hiddenSizes: z.array(z.number().int().positive().max(MAX_WIDTH)).max(MAX_LAYERS).default([]),
  /** One activation for every hidden layer, or one per hidden layer. */
  activation: z.union([activation, z.array(activation)]).default('relu'),
  /** 'softmax': one of `outputSize` classes; 'sigmoid': `outputSize` independent yes/no outputs. */
  output: z.enum(['softmax', 'sigmoid']).default('softmax'),
  outputSize: z.number().int().positive().max(MAX_VOCAB).default(2),
  seed: z.number().int().default(0),
});

/** An MLP config as given (defaults may be left out). */
export type ZooMlpConfigInput = z.input<typeof zooMlpConfigSchema>;
/** An MLP config with its defaults filled in. */
export type ZooMlpConfig = z.output<typeof zooMlpConfigSchema>;

/** A training batch (`loss(batch)`, also what @seqzoo/train's `fit` passes): rows and targets. */
export interface MlpBatch {
  x: tf.Tensor | number[][];
  /** Class ids (softmax), or 0/1 targets (sigmoid). */
  y: tf.Tensor | number[] | number[][];
}

/**
 * The perceptron and the multi-layer perceptron: Dense → activation → … → Dense → softmax or
 * sigmoid. Layers are `fc0`, `fc1`, …; `forward` returns logits, `predictProba` probabilities.
 */
export class Mlp extends Module {
  readonly config: ZooMlpConfig;
  readonly layers: Dense[];

  constructor(config: ZooMlpConfigInput) {
    super();
    this.config = parseConfig(zooMlpConfigSchema, config, 'zoo:mlp');
    const { hiddenSizes, inputSize, outputSize, seed } = this.config;
    const acts: ActivationName[] = Array.isArray(this.config.activation)
      ? this.config.activation
      : hiddenSizes.map(() => this.config.activation as ActivationName);
    if (acts.length !== hiddenSizes.length) {
      throw new ZooConfigError(
        'activation',
        `${acts.length} activations for ${hiddenSizes.length} hidden layers; give one, or one per hidden layer.`,
      );
    }
    const sizes = [inputSize, ...hiddenSizes, outputSize];
    this.layers = sizes.slice(1).map((out, i) =>
      this.registerModule(
        `fc${i}`,
        new Dense({
          inputSize: sizes[i],
          outputSize: out,
          activation: i < hiddenSizes.length ? acts[i] : 'linear',
          seed: seed * 1000 + i,
        }),
      ),
    );
    this.eval();
  }

  /** `x` `[batch, inputSize]` → logits `[batch, outputSize]`. */
  forward(x: tf.Tensor): tf.Tensor2D {
    return tf.tidy(() => this.layers.reduce<tf.Tensor>((h, l) => l.forward(h), x)) as tf.Tensor2D;
  }

  /** Softmax or sigmoid probabilities `[batch, outputSize]`. */
  predictProba(x: tf.Tensor | number[][]): tf.Tensor2D {
    return tf.tidy(() => {
      const logits = this.forward(Array.isArray(x) ? tf.tensor2d(x) : x);
      return this.config.output === 'softmax' ? tf.softmax(logits) : tf.sigmoid(logits);
    });
  }

  /** Class ids: argmax (softmax), or probability ≥ 0.5 for a single sigmoid output. */
  predict(x: tf.Tensor | number[][]): number[] {
    if (this.config.output === 'sigmoid' && this.config.outputSize > 1) {
      throw new ZooConfigError(
        'output',
        'predict() gives one class per example; with several sigmoid outputs use predictProba().',
      );
    }
    const ids = tf.tidy(() => {
      const p = this.predictProba(x);
      return this.config.output === 'softmax'
        ? tf.argMax(p, 1)
        : tf.cast(tf.greaterEqual(tf.reshape(p, [-1]), 0.5), 'int32');
    });
    const out = Array.from(ids.dataSync());
    ids.dispose();
    return out;
  }

  /**
   * Mean loss: softmax cross-entropy against class ids `y` `[batch]`, or sigmoid cross-entropy
   * against 0/1 targets `y` `[batch]` (one output) or `[batch, outputSize]`.
   */
  loss(batch: MlpBatch): tf.Scalar {
    return tf.tidy(() => {
      const x = batch.x instanceof tf.Tensor ? batch.x : tf.tensor2d(batch.x);
      const y = batch.y instanceof tf.Tensor ? batch.y : tf.tensor(batch.y);
      return classifierLoss(this.forward(x), y, this.config.output);
    });
  }

  /**
   * Trains on dense feature rows `x` and targets `y` (class ids, or 0/1 rows for sigmoid) through
   * @seqzoo/train's `fit`: Adam (default lr 1e-2), batches of 32 (default) in an order drawn each
   * epoch from `seed` by @seqzoo/data's `Rng`, 10 epochs by default.
   */
  async fit(
    x: number[][],
    y: number[] | number[][],
    options: ZooFitOptions = {},
  ): Promise<TrainHistory> {
    if (x.length !== y.length) {
      throw new ZooConfigError('y', `${x.length} rows in x but ${y.length} targets in y.`);
    }
    if (x.length === 0) throw new ZooConfigError('x', 'no training rows; pass at least one.');
    const epochs = checkPositiveInt('epochs', options.epochs ?? 10);
    const batchSize = checkPositiveInt('batchSize', options.batchSize ?? 32);
    const lr = checkRange('lr', options.lr ?? 1e-2, 0, Number.POSITIVE_INFINITY, { lowOpen: true });
    if (options.maxSteps !== undefined) checkPositiveInt('maxSteps', options.maxSteps);
    const seed = options.seed ?? 0;
    const xs = tf.tensor2d(x);
    const ys =
      this.config.output === 'softmax'
        ? tf.tensor1d(y as number[], 'int32')
        : tf.tensor(y as number[] | number[][], undefined, 'float32');
    // Batches are row indices; the loss gathers them (no tensors in the batches themselves).
    const data = Dataset.fromIterable((ctx) => {
      const order = new Rng(mixSeed(seed, ctx.epoch)).shuffle(x.map((_, i) => i));
      const out: number[][] = [];
      for (let b = 0; b < order.length; b += batchSize) out.push(order.slice(b, b + batchSize));
      return out;
    });
    const optimizer = adam(this.namedParameters(), { lr }) as unknown as Optimizer;
    const start = performance.now();
    try {
      const r = await fit(this, data, {
        optimizer,
        epochs,
        maxSteps: options.maxSteps,
        clipGradNorm: options.clipGradNorm,
        signal: options.signal,
        loss: (_m, idx: number[]) =>
          tf.tidy(() => {
            const i = tf.tensor1d(idx, 'int32');
            return this.loss({ x: tf.gather(xs, i), y: tf.gather(ys, i) });
          }),
        callbacks: {
          onBatchEnd: (e) => options.onStep?.(e.step, e.loss),
          onEpochEnd: (e) => options.onEpoch?.(e.epoch, e.loss),
        },
      });
      return {
        loss: r.history.map((e) => e.loss).filter((l) => Number.isFinite(l)),
        steps: r.steps,
        seconds: (performance.now() - start) / 1000,
        validation: null,
      };
    } finally {
      optimizer.dispose();
      xs.dispose();
      ys.dispose();
      this.eval();
    }
  }
}

/** Mean cross-entropy of `logits` `[B, K]` against `y` for a softmax or sigmoid output. */
export function classifierLoss(
  logits: tf.Tensor,
  y: tf.Tensor,
  output: 'softmax' | 'sigmoid',
): tf.Scalar {
  return tf.tidy(() => {
    if (output === 'softmax') {
      const onehot = tf.oneHot(
        tf.cast(tf.reshape(y, [-1]), 'int32') as tf.Tensor1D,
        logits.shape[1] as number,
      );
      return tf.losses.softmaxCrossEntropy(onehot, logits) as tf.Scalar;
    }
    const target = tf.reshape(tf.cast(y, 'float32'), logits.shape);
    return tf.losses.sigmoidCrossEntropy(target, logits) as tf.Scalar;
  });
}
