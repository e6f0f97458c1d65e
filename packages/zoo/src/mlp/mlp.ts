import { type ActivationName, Dense, Module } from '@seqzoo/layers';
import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import { ZooConfigError } from '../errors';
import { type TrainHistory, type TrainOptions, trainOnIndices } from '../training/train-loop';

const activation = z.enum(['linear', 'relu', 'tanh', 'sigmoid', 'elu', 'gelu']);

export const mlpConfigSchema = z.object({
  /** Length of each feature vector. */
  inputSize: z.number().int().positive(),
  /** Hidden layer sizes; [] is the single-layer perceptron (logistic/softmax regression). */
  hiddenSizes: z.array(z.number().int().positive()).default([]),
  /** One activation for every hidden layer, or one per hidden layer. */
  activation: z.union([activation, z.array(activation)]).default('relu'),
  /** 'softmax': one of `outputSize` classes; 'sigmoid': `outputSize` independent yes/no outputs. */
  output: z.enum(['softmax', 'sigmoid']).default('softmax'),
  outputSize: z.number().int().positive().default(2),
  seed: z.number().int().default(0),
});

export type MlpConfigInput = z.input<typeof mlpConfigSchema>;
export type MlpConfig = z.output<typeof mlpConfigSchema>;

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
  readonly config: MlpConfig;
  readonly layers: Dense[];

  constructor(config: MlpConfigInput) {
    super();
    this.config = mlpConfigSchema.parse(config);
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

  /** Trains on dense feature rows `x` and targets `y` (class ids, or 0/1 rows for sigmoid). */
  fit(x: number[][], y: number[] | number[][], options: TrainOptions = {}): TrainHistory {
    const xs = tf.tensor2d(x);
    const ys =
      this.config.output === 'softmax'
        ? tf.tensor1d(y as number[], 'int32')
        : tf.tensor(y as number[] | number[][], undefined, 'float32');
    try {
      return trainOnIndices(
        this,
        x.length,
        (idx) =>
          tf.tidy(() => {
            const i = tf.tensor1d(idx, 'int32');
            return this.loss({ x: tf.gather(xs, i), y: tf.gather(ys, i) });
          }),
        options,
      );
    } finally {
      xs.dispose();
      ys.dispose();
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
