import * as tf from '@tensorflow/tfjs-core';
import { checkPositiveInt, InputShapeError, LayerConfigError } from './errors';
import { type Initializer, initializers, resolveInitializer } from './initializers';
import { Module } from './module';
import { Random } from './random';

/** Options of `Embedding`. */
export interface EmbeddingOptions {
  numEmbeddings: number;
  embeddingDim: number;
  /**
   * A row that stays zero-initialised and gets no gradient (PyTorch's `padding_idx`); negative
   * values count from the end.
   */
  paddingIdx?: number;
  /** Default N(0, 1), PyTorch's. */
  initializer?: Initializer;
  seed?: number;
  /**
   * How rows are looked up. 'gather': a gather, whose gradient is scattered back row by row
   * (ScatterNd). 'onehot': one-hot(ids) · weight, whose gradient is a matmul. 'auto' (default)
   * takes 'onehot' on the wasm backend for tables of up to `ONE_HOT_MAX_ROWS` rows (measured
   * 1.5–2× faster there at 40–64 rows, even at 128, slower beyond; on cpu the gather is 3×
   * faster: `scripts/time-embedding.ts`), else 'gather'. Same numbers either way.
   */
  lookup?: 'auto' | 'gather' | 'onehot';
}

/** Up to this many rows, `lookup: 'auto'` on wasm multiplies by a one-hot matrix instead of gathering. */
export const ONE_HOT_MAX_ROWS = 128;

/**
 * A lookup table `[numEmbeddings, embeddingDim]`: `forward(ids)` maps int32 ids of any shape to
 * `[...ids.shape, embeddingDim]`. The gradient is scattered back row by row (ScatterNd, which
 * every backend has), and the padding row's gradient is zero.
 */
export class Embedding extends Module {
  readonly numEmbeddings: number;
  readonly embeddingDim: number;
  readonly paddingIdx: number | null;
  readonly weight: tf.Variable;
  readonly lookup: 'auto' | 'gather' | 'onehot';

  constructor(options: EmbeddingOptions) {
    super();
    this.numEmbeddings = checkPositiveInt('numEmbeddings', options.numEmbeddings);
    this.embeddingDim = checkPositiveInt('embeddingDim', options.embeddingDim);
    let pad = options.paddingIdx ?? null;
    if (pad !== null) {
      if (!Number.isInteger(pad) || pad >= this.numEmbeddings || pad < -this.numEmbeddings) {
        throw new LayerConfigError(
          'paddingIdx',
          `expected an integer in [-${this.numEmbeddings}, ${this.numEmbeddings}), got ${pad}.`,
        );
      }
      if (pad < 0) pad += this.numEmbeddings;
    }
    this.paddingIdx = pad;
    const lookup = options.lookup ?? 'auto';
    if (lookup !== 'auto' && lookup !== 'gather' && lookup !== 'onehot') {
      throw new LayerConfigError(
        'lookup',
        `expected 'auto', 'gather' or 'onehot', got '${String(lookup)}'.`,
      );
    }
    this.lookup = lookup;
    const base = resolveInitializer(options.initializer ?? initializers.normal());
    const zeroPad: Initializer = (shape, ctx) => {
      const values = base(shape, ctx);
      if (pad !== null) values.fill(0, pad * shape[1], (pad + 1) * shape[1]);
      return values;
    };
    this.weight = this.createParameter('weight', [this.numEmbeddings, this.embeddingDim], {
      init: zeroPad,
      rng: new Random(options.seed),
    });
  }

  /** The lookup `forward` uses on the current backend ('auto' resolved). */
  resolvedLookup(): 'gather' | 'onehot' {
    if (this.lookup !== 'auto') return this.lookup;
    return this.numEmbeddings <= ONE_HOT_MAX_ROWS && tf.getBackend() === 'wasm'
      ? 'onehot'
      : 'gather';
  }

  private rowMask(): tf.Tensor2D {
    const mask = new Float32Array(this.numEmbeddings).fill(1);
    if (this.paddingIdx !== null) mask[this.paddingIdx] = 0;
    return tf.tensor2d(mask, [this.numEmbeddings, 1]);
  }

  /** `ids`: int32 of any shape → float32 `[...ids.shape, embeddingDim]`. */
  forward(ids: tf.Tensor): tf.Tensor {
    if (ids.dtype !== 'int32') {
      throw new InputShapeError(
        `Embedding expects int32 ids, got ${ids.dtype}; cast with tf.cast(ids, 'int32').`,
      );
    }
    const V = this.numEmbeddings;
    const D = this.embeddingDim;
    const pad = this.paddingIdx;
    if (this.resolvedLookup() === 'onehot') return this.oneHotForward(ids);
    return tf.tidy(() => {
      const flat = tf.reshape(ids, [-1]);
      const lookup = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
        const [weight, idx, save] = args as [tf.Tensor, tf.Tensor, tf.GradSaveFunc];
        save([idx]);
        return {
          value: tf.gather(weight, idx),
          gradFunc: (dy: tf.Tensor, [kept]: tf.Tensor[]) => {
            const indices = tf.reshape(kept, [-1, 1]);
            let dw = tf.scatterND(indices, dy, [V, D]);
            if (pad !== null) dw = tf.mul(dw, this.rowMask());
            return [dw, tf.zerosLike(kept)];
          },
        };
      });
      return tf.reshape(lookup(this.weight, flat), [...ids.shape, D]);
    });
  }

  /**
   * one-hot(ids) · weight: the gradient is hotᵀ · dy, a matmul (tfjs' own gather gradient needs
   * UnsortedSegmentSum, which the wasm backend lacks). The padding row's gradient is masked.
   */
  private oneHotForward(ids: tf.Tensor): tf.Tensor {
    const V = this.numEmbeddings;
    const D = this.embeddingDim;
    const pad = this.paddingIdx;
    return tf.tidy(() => {
      const hot = tf.oneHot(tf.reshape(ids, [-1]), V);
      const lookup = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
        const [weight, oneHot, save] = args as [tf.Tensor2D, tf.Tensor2D, tf.GradSaveFunc];
        save([oneHot]);
        return {
          value: tf.matMul(oneHot, weight),
          gradFunc: (dy: tf.Tensor, [kept]: tf.Tensor[]) => {
            let dw = tf.matMul(kept as tf.Tensor2D, dy as tf.Tensor2D, true, false);
            if (pad !== null) dw = tf.mul(dw, this.rowMask());
            return [dw, tf.zerosLike(kept)];
          },
        };
      });
      return tf.reshape(lookup(this.weight, hot), [...ids.shape, D]);
    });
  }
}
