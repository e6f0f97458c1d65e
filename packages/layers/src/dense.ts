import * as tf from '@tensorflow/tfjs-core';
import { type Activation, resolveActivation } from './activations';
import { checkPositiveInt, InputShapeError } from './errors';
import type { Initializer } from './initializers';
import { Module } from './module';
import { Random } from './random';

/** Options of `Dense`. */
export interface DenseOptions {
  inputSize: number;
  outputSize: number;
  /** Default 'linear'. */
  activation?: Activation;
  /** Add a bias (default true). */
  bias?: boolean;
  /** Default 'glorotUniform' (Keras); 'pytorchUniform' gives PyTorch's Linear init. */
  kernelInitializer?: Initializer;
  /** Default 'zeros'. */
  biasInitializer?: Initializer;
  /** Seed for the initializers (default: random). */
  seed?: number;
}

/**
 * A fully connected layer `y = activation(x·W + b)` over the last axis of `x`. `weight` is
 * `[inputSize, outputSize]` (Keras' layout; PyTorch's Linear stores the transpose).
 */
export class Dense extends Module {
  readonly inputSize: number;
  readonly outputSize: number;
  readonly weight: tf.Variable;
  readonly bias: tf.Variable | null;
  private readonly activation: (x: tf.Tensor) => tf.Tensor;

  constructor(options: DenseOptions) {
    super();
    this.inputSize = checkPositiveInt('inputSize', options.inputSize);
    this.outputSize = checkPositiveInt('outputSize', options.outputSize);
    this.activation = resolveActivation(options.activation ?? 'linear');
    const rng = new Random(options.seed);
    const bound = 1 / Math.sqrt(this.inputSize);
    this.weight = this.createParameter('weight', [this.inputSize, this.outputSize], {
      init: options.kernelInitializer ?? 'glorotUniform',
      rng,
      pytorchBound: bound,
    });
    this.bias =
      options.bias === false
        ? null
        : this.createParameter('bias', [this.outputSize], {
            init: options.biasInitializer ?? 'zeros',
            rng,
            fanIn: this.inputSize,
            fanOut: this.outputSize,
            pytorchBound: bound,
          });
  }

  /** `x`: `[..., inputSize]` → `[..., outputSize]`. */
  forward(x: tf.Tensor): tf.Tensor {
    const last = x.shape[x.shape.length - 1];
    if (x.rank < 1 || last !== this.inputSize) {
      throw new InputShapeError(
        `Dense expects input [..., ${this.inputSize}], got [${x.shape}]. Check inputSize.`,
      );
    }
    return tf.tidy(() => {
      const flat = x.rank === 2 ? x : tf.reshape(x, [-1, this.inputSize]);
      let y: tf.Tensor = tf.matMul(flat as tf.Tensor2D, this.weight as tf.Tensor2D);
      if (this.bias) y = tf.add(y, this.bias);
      y = this.activation(y);
      return x.rank === 2 ? y : tf.reshape(y, [...x.shape.slice(0, -1), this.outputSize]);
    });
  }
}
