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

  /**
   * int32 ids of any shape → `[...shape, embeddingSize]`. The gradient of `tf.gather` needs the
   * UnsortedSegmentSum kernel, which the wasm backend lacks; there the weight's gradient is
   * `oneHot(ids)ᵀ · dy`, one matmul.
   */
  forward(ids: tf.Tensor): tf.Tensor {
    return tf.tidy(() => {
      const flat = tf.reshape(tf.cast(ids, 'int32'), [-1]) as tf.Tensor1D;
      const rows = tf.getKernel('UnsortedSegmentSum', tf.getBackend())
        ? tf.gather(this.weight, flat)
        : gatherByOneHotGrad(this.weight, flat, this.vocabSize);
      return tf.reshape(rows, [...ids.shape, this.embeddingSize]);
    });
  }
}

/** `tf.gather(weight, ids)` whose gradient is a one-hot matmul instead of a segment sum. */
function gatherByOneHotGrad(weight: tf.Tensor, ids: tf.Tensor1D, vocabSize: number): tf.Tensor {
  const body = (w: tf.Tensor, i: tf.Tensor, save: tf.GradSaveFunc) => {
    save([i]);
    return {
      value: tf.gather(w, i),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => [
        tf.matMul(tf.oneHot(saved[0] as tf.Tensor1D, vocabSize), dy as tf.Tensor2D, true, false),
        tf.zerosLike(saved[0]),
      ],
    };
  };
  const f = tf.customGrad(body as unknown as Parameters<typeof tf.customGrad>[0]);
  return f(weight, ids);
}
