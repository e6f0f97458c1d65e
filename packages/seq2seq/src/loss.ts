// @seqzoo/layers registers tfjs-core's gradients (bundled in its dist) when it loads.
import '@seqzoo/layers';
import * as tf from '@tensorflow/tfjs-core';
import { numberIn, Seq2SeqInputError } from './errors';

export interface CrossEntropyOptions {
  /** Target id that is ignored (padding); default 0, the `<pad>` of `@seqzoo/data`'s Vocab. */
  padId?: number;
  /** Label smoothing ε in [0, 1): the target is (1-ε)·one-hot + ε/V (PyTorch's definition). */
  labelSmoothing?: number;
}

/**
 * Cross-entropy averaged over the non-padding targets, as
 * `torch.nn.functional.cross_entropy(logits, targets, ignore_index=pad, label_smoothing=ε)`.
 * `logits` `[..., V]`, `targets` int32 with the leading shape of `logits`. Returns a scalar
 * (0 when every target is padding).
 */
export function maskedCrossEntropy(
  logits: tf.Tensor,
  targets: tf.Tensor,
  options: CrossEntropyOptions = {},
): tf.Scalar {
  const padId = options.padId ?? 0;
  const eps = numberIn('labelSmoothing', options.labelSmoothing ?? 0, 0, 1);
  const vocab = logits.shape[logits.rank - 1];
  if (!tf.util.arraysEqual(logits.shape.slice(0, -1), targets.shape)) {
    throw new Seq2SeqInputError(
      `maskedCrossEntropy: logits [${logits.shape}] need targets [${logits.shape.slice(0, -1)}], got [${targets.shape}].`,
    );
  }
  return tf.tidy(() => {
    const flatLogits = tf.reshape(logits, [-1, vocab]) as tf.Tensor2D;
    const flatTargets = tf.cast(tf.reshape(targets, [-1]), 'int32') as tf.Tensor1D;
    const logp = tf.logSoftmax(flatLogits);
    const mask = tf.cast(tf.notEqual(flatTargets, padId), 'float32');
    let perToken = tf.neg(tf.sum(tf.mul(tf.oneHot(flatTargets, vocab), logp), -1));
    if (eps > 0) {
      const smooth = tf.neg(tf.mean(logp, -1));
      perToken = tf.add(tf.mul(1 - eps, perToken), tf.mul(eps, smooth));
    }
    const count = tf.maximum(tf.sum(mask), 1);
    return tf.div(tf.sum(tf.mul(perToken, mask)), count) as tf.Scalar;
  });
}
