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
   * summed in JavaScript.
   */
  forward(ids: tf.Tensor): tf.Tensor {
    return tf.tidy(() => {
      const flat = tf.reshape(tf.cast(ids, 'int32'), [-1]) as tf.Tensor1D;
      const rows = tf.getKernel('UnsortedSegmentSum', tf.getBackend())
        ? tf.gather(this.weight, flat)
        : gatherWithScatterGrad(this.weight, flat, this.vocabSize);
      return tf.reshape(rows, [...ids.shape, this.embeddingSize]);
    });
  }
}

/**
 * `tf.gather(weight, ids)` whose gradient is a scatter-add done in JavaScript (O(ids · E), the
 * same sums as UnsortedSegmentSum); a one-hot matmul would cost O(ids · V · E).
 */
function gatherWithScatterGrad(weight: tf.Tensor, ids: tf.Tensor1D, vocabSize: number): tf.Tensor {
  const body = (w: tf.Tensor, i: tf.Tensor, save: tf.GradSaveFunc) => {
    save([i]);
    return {
      value: tf.gather(w, i),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const width = dy.shape[1] as number;
        const index = saved[0].dataSync();
        const upstream = dy.dataSync();
        const out = new Float32Array(vocabSize * width);
        for (let r = 0; r < index.length; r++) {
          const o = index[r] * width;
          const u = r * width;
          for (let j = 0; j < width; j++) out[o + j] += upstream[u + j];
        }
        return [tf.tensor2d(out, [vocabSize, width]), tf.zerosLike(saved[0])];
      },
    };
  };
  const f = tf.customGrad(body as unknown as Parameters<typeof tf.customGrad>[0]);
  return f(weight, ids);
}
