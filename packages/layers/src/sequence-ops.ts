import * as tf from '@tensorflow/tfjs-core';
import { InputShapeError } from './errors';

/**
 * Checks `lengths` against a batch of `batch` sequences of `time` steps and returns it as an int32
 * tensor (created here when given as numbers; the caller's tensor otherwise). Values in a tensor
 * are not read back (that would sync a GPU); numbers must lie in [0, time].
 */
export function lengthsTensor(
  lengths: tf.Tensor | readonly number[],
  batch: number,
  time: number,
): tf.Tensor1D {
  if (lengths instanceof tf.Tensor) {
    if (lengths.rank !== 1 || lengths.shape[0] !== batch) {
      throw new InputShapeError(
        `lengths must be a rank-1 tensor of ${batch} (the batch size) values, got shape [${lengths.shape}].`,
      );
    }
    return (lengths.dtype === 'int32' ? lengths : tf.cast(lengths, 'int32')) as tf.Tensor1D;
  }
  if (lengths.length !== batch) {
    throw new InputShapeError(
      `lengths has ${lengths.length} values but the batch has ${batch} sequences; give one length per sequence.`,
    );
  }
  lengths.forEach((n, b) => {
    if (!Number.isInteger(n) || n < 0 || n > time) {
      throw new InputShapeError(
        `lengths[${b}] = ${n} is not an integer in [0, ${time}] (the time axis of the input).`,
      );
    }
  });
  return tf.tensor1d(lengths as number[], 'int32');
}

/** `[T, B, 1]` float mask: 1 where `t < lengths[b]`. */
export function timeMask(lengths: tf.Tensor1D, time: number): tf.Tensor3D {
  return tf.tidy(() => {
    const t = tf.reshape(tf.range(0, time, 1, 'int32'), [time, 1]);
    const valid = tf.less(t, tf.reshape(lengths, [1, -1]));
    return tf.expandDims(tf.cast(valid, 'float32'), 2) as tf.Tensor3D;
  });
}

/**
 * Row indices into a time-major `[T·B, ·]` tensor that reverse each sequence inside its length
 * and leave the padding in place: row `t·B + b` ← `(len_b − 1 − t)·B + b` for `t < len_b`. The
 * permutation is its own inverse, so the same indices reverse the outputs back.
 */
export function reverseIndices(lengths: tf.Tensor1D, time: number): tf.Tensor1D {
  return tf.tidy(() => {
    const batch = lengths.shape[0];
    const t = tf.reshape(tf.range(0, time, 1, 'int32'), [time, 1]);
    const len = tf.reshape(lengths, [1, batch]);
    const one = tf.scalar(1, 'int32');
    const flipped = tf.sub(tf.sub(len, one), t);
    const source = tf.where(tf.less(t, len), flipped, tf.add(t, tf.zerosLike(len)));
    const rows = tf.add(
      tf.mul(source, tf.scalar(batch, 'int32')),
      tf.reshape(tf.range(0, batch, 1, 'int32'), [1, batch]),
    );
    return tf.reshape(rows, [-1]) as tf.Tensor1D;
  });
}

/**
 * Reverses a time-major `[T, B, X]` tensor in time (per sequence when `indices` is given). The
 * per-sequence permutation is its own inverse, so its gradient is the same gather (written by
 * hand: tfjs' gather gradient needs UnsortedSegmentSum, which wasm lacks).
 */
export function reverseTime(x: tf.Tensor3D, indices: tf.Tensor1D | null): tf.Tensor3D {
  if (!indices) return tf.reverse(x, 0);
  const [T, B, X] = x.shape;
  const permute = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [rows, idx, save] = args as [tf.Tensor, tf.Tensor, tf.GradSaveFunc];
    save([idx]);
    return {
      value: tf.gather(rows, idx),
      gradFunc: (dy: tf.Tensor, [kept]: tf.Tensor[]) => [tf.gather(dy, kept), tf.zerosLike(kept)],
    };
  });
  return tf.reshape(permute(tf.reshape(x, [T * B, X]), indices), [T, B, X]);
}
