import * as tf from '@tensorflow/tfjs-core';
import { Seq2SeqInputError } from './errors';

/** Lengths as given by callers: plain numbers or an int32 vector. */
export type Lengths = readonly number[] | tf.Tensor1D;

/** Checks lengths against a batch of `batch` rows padded to `maxLength` and returns them. */
export function checkLengths(
  lengths: readonly number[],
  batch: number,
  maxLength: number,
): number[] {
  if (lengths.length !== batch) {
    throw new Seq2SeqInputError(
      `lengths has ${lengths.length} entries for a batch of ${batch}. Give one length per row.`,
    );
  }
  for (const n of lengths) {
    if (!Number.isInteger(n) || n < 1 || n > maxLength) {
      throw new Seq2SeqInputError(
        `lengths must be integers in [1, ${maxLength}] (the padded length), got ${n}. Empty sequences cannot be attended over.`,
      );
    }
  }
  return [...lengths];
}

/** `[B, T]` float mask: 1 where `t < lengths[b]`, 0 on padding. */
export function lengthMask(lengths: Lengths, maxLength: number): tf.Tensor2D {
  return tf.tidy(() => {
    const len = Array.isArray(lengths)
      ? tf.tensor1d(lengths as number[], 'int32')
      : (lengths as tf.Tensor1D);
    const positions = tf.reshape(tf.range(0, maxLength, 1, 'int32'), [1, maxLength]);
    return tf.cast(tf.less(positions, tf.reshape(len, [-1, 1])), 'float32') as tf.Tensor2D;
  });
}
