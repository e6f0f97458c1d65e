import { Module, type Random } from '@seqzoo/layers';
import * as tf from '@tensorflow/tfjs-core';
import { positiveInt } from './errors';

/**
 * Token embedding `[V, E]` computed as one-hot · weight, so that its gradient is a matmul (the
 * gather gradient needs UnsortedSegmentSum, which the wasm backend lacks). The padding id maps
 * to a zero vector and its row never gets a gradient (PyTorch's `padding_idx`).
 */
export class TokenEmbedding extends Module {
  readonly weight: tf.Variable;
  constructor(
    readonly vocabSize: number,
    readonly embeddingSize: number,
    readonly padId: number,
    rng: Random,
  ) {
    super();
    positiveInt('vocabSize', vocabSize);
    positiveInt('embeddingSize', embeddingSize);
    this.weight = this.createParameter('weight', [vocabSize, embeddingSize], {
      init: 'glorotUniform',
      rng,
    });
  }

  /** int32 ids of any shape → `[...shape, E]`. */
  forward(ids: tf.Tensor): tf.Tensor {
    return tf.tidy(() => {
      const flat = tf.cast(tf.reshape(ids, [-1]), 'int32');
      const hot = tf.mul(
        tf.oneHot(flat, this.vocabSize),
        tf.expandDims(tf.cast(tf.notEqual(flat, this.padId), 'float32'), 1),
      ) as tf.Tensor2D;
      const y = tf.matMul(hot, this.weight as tf.Tensor2D);
      return tf.reshape(y, [...ids.shape, this.embeddingSize]);
    });
  }
}
