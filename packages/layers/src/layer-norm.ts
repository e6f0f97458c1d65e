import * as tf from '@tensorflow/tfjs-core';
import { checkPositiveInt, InputShapeError } from './errors';
import { Module } from './module';
import { Random } from './random';

/** Options of `LayerNorm`. */
export interface LayerNormOptions {
  /** Size of the last axis, which is normalised. */
  size: number;
  /** Added to the variance (default 1e-5, PyTorch's). */
  epsilon?: number;
  /** Learn a scale `weight` (ones) and shift `bias` (zeros) (default true). */
  elementwiseAffine?: boolean;
}

/** Layer normalisation over the last axis: `(x − mean) / √(var + ε) · weight + bias`. */
export class LayerNorm extends Module {
  readonly size: number;
  readonly epsilon: number;
  readonly weight: tf.Variable | null;
  readonly bias: tf.Variable | null;

  constructor(options: LayerNormOptions) {
    super();
    this.size = checkPositiveInt('size', options.size);
    this.epsilon = options.epsilon ?? 1e-5;
    const rng = new Random(0);
    const affine = options.elementwiseAffine ?? true;
    this.weight = affine
      ? this.createParameter('weight', [this.size], { init: 'ones', rng })
      : null;
    this.bias = affine ? this.createParameter('bias', [this.size], { init: 'zeros', rng }) : null;
  }

  /** Normalizes over the last axis (then scales and shifts when affine). */
  forward(x: tf.Tensor): tf.Tensor {
    if (x.shape[x.rank - 1] !== this.size) {
      throw new InputShapeError(`LayerNorm expects input [..., ${this.size}], got [${x.shape}].`);
    }
    return tf.tidy(() => {
      const { mean, variance } = tf.moments(x, -1, true);
      let y = tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, this.epsilon)));
      if (this.weight) y = tf.mul(y, this.weight);
      if (this.bias) y = tf.add(y, this.bias);
      return y;
    });
  }
}
