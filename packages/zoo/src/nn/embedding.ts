import { Module, Random } from '@seqzoo/layers';
import * as tf from '@tensorflow/tfjs-core';
import { checkPositiveInt } from '../errors';

/** A lookup table `weight` `[vocabSize, embeddingSize]`, initialised N(0, 1) like PyTorch's. */
export class Embedding extends Module {
  readonly weight: tf.Variable;

  constructor(
    readonly vocabSize: number,
    readonly embeddingSize: number,
    seed = 0,
  ) {
    super();
    checkPositiveInt('vocabSize', vocabSize);
    checkPositiveInt('embeddingSize', embeddingSize);
    const rng = new Random(seed);
    const values = Float32Array.from({ length: vocabSize * embeddingSize }, () => rng.normal());
    this.weight = this.registerParameter('weight', tf.tensor2d(values, [vocabSize, embeddingSize]));
  }

  /** int32 ids of any shape → `[...shape, embeddingSize]`. */
  forward(ids: tf.Tensor): tf.Tensor {
    return tf.tidy(() => {
      const flat = tf.reshape(tf.cast(ids, 'int32'), [-1]);
      const rows = tf.gather(this.weight, flat);
      return tf.reshape(rows, [...ids.shape, this.embeddingSize]);
    });
  }
}
