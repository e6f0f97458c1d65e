import * as tf from '@tensorflow/tfjs-core';
import { checkRate } from './errors';
import { Module } from './module';
import { Random } from './random';

/** Options of `Dropout`. */
export interface DropoutOptions {
  /** Probability of zeroing an element, in [0, 1). */
  rate: number;
  /** Seed of the mask sequence (default random). Each call draws a new mask from it. */
  seed?: number;
  /** Share one mask along these axes (e.g. [1] for the time axis of [B, T, F]). */
  sharedAxes?: number[];
}

/**
 * Inverted dropout: in training mode zeroes each element with probability `rate` and scales the
 * rest by 1/(1 − rate); in eval mode (or with rate 0) it returns its input. Seeded: the same seed
 * gives the same sequence of masks on every backend.
 */
export class Dropout extends Module {
  readonly rate: number;
  readonly sharedAxes: number[];
  private readonly rng: Random;

  constructor(options: DropoutOptions) {
    super();
    this.rate = checkRate('rate', options.rate);
    this.sharedAxes = options.sharedAxes ?? [];
    this.rng = new Random(options.seed);
  }

  /** In training, zeroes elements with probability `rate` and scales the rest by 1/(1-rate); else returns `x`. */
  forward(x: tf.Tensor): tf.Tensor {
    if (!this.training || this.rate === 0) return x;
    const seed = this.rng.nextInt();
    return tf.tidy(() => {
      const shape = x.shape.map((n, axis) => (this.sharedAxes.includes(axis) ? 1 : n));
      const keep = tf.cast(
        tf.greaterEqual(tf.randomUniform(shape, 0, 1, 'float32', seed), this.rate),
        'float32',
      );
      return tf.mul(x, tf.mul(keep, 1 / (1 - this.rate)));
    });
  }
}
