import * as tf from '@tensorflow/tfjs-core';
import '#register-gradients';
import { InputShapeError, LayerConfigError } from './errors';

/** Options of `crossEntropy`. */
export interface CrossEntropyOptions {
  /**
   * Targets equal to this id add nothing to the loss nor to the count of the mean (padding).
   * Default -100, PyTorch's: nothing is ignored unless asked.
   */
  ignoreIndex?: number;
  /**
   * Label smoothing ε in [0, 1]: the target distribution is (1 − ε)·one-hot + ε/V, PyTorch's
   * definition (ε/V on every class, the true one included). Default 0.
   */
  labelSmoothing?: number;
  /**
   * 'mean' (default): the sum over the non-ignored targets divided by their count; 'sum'; or
   * 'none': the per-target loss with the shape of `targets` (0 where ignored).
   */
  reduction?: 'mean' | 'sum' | 'none';
}

function checkOptions(options: CrossEntropyOptions) {
  const ignoreIndex = options.ignoreIndex ?? -100;
  if (!Number.isInteger(ignoreIndex)) {
    throw new LayerConfigError(
      'ignoreIndex',
      `expected an integer id, got ${String(ignoreIndex)}.`,
    );
  }
  const eps = options.labelSmoothing ?? 0;
  if (typeof eps !== 'number' || !(eps >= 0 && eps <= 1)) {
    throw new LayerConfigError(
      'labelSmoothing',
      `expected a number in [0, 1], got ${String(eps)}.`,
    );
  }
  const reduction = options.reduction ?? 'mean';
  if (reduction !== 'mean' && reduction !== 'sum' && reduction !== 'none') {
    throw new LayerConfigError(
      'reduction',
      `expected 'mean', 'sum' or 'none', got '${String(reduction)}'.`,
    );
  }
  return { ignoreIndex, eps, reduction };
}

/**
 * Cross-entropy of unnormalised `logits` `[..., V]` (classes on the last axis) against int32 class
 * ids `targets` with the leading shape of `logits` — the same number as PyTorch's
 * `F.cross_entropy(logits.reshape(-1, V), targets.reshape(-1), ignore_index, label_smoothing,
 * reduction)` (PyTorch puts the classes on axis 1; here they are last, as `Dense` gives them).
 *
 * Per target: `(1 − ε)·(−log p[y]) + ε·mean_v(−log p[v])`; ignored targets count for nothing.
 * One difference: with 'mean' and every target ignored, the loss is 0 (PyTorch gives NaN), so
 * that an all-padding batch cannot poison training. Ids outside [0, V) (other than
 * `ignoreIndex`) are not read back from the device to be checked: they add only the smoothing
 * term. Differentiable with respect to `logits`. The caller owns the result.
 */
export function crossEntropy(
  logits: tf.Tensor,
  targets: tf.Tensor,
  options: CrossEntropyOptions = {},
): tf.Tensor {
  const { ignoreIndex, eps, reduction } = checkOptions(options);
  if (logits.rank < 2) {
    throw new InputShapeError(
      `crossEntropy expects logits [..., classes] of rank ≥ 2, got [${logits.shape}].`,
    );
  }
  if (logits.dtype !== 'float32') {
    throw new InputShapeError(`crossEntropy expects float32 logits, got ${logits.dtype}.`);
  }
  if (!tf.util.arraysEqual(logits.shape.slice(0, -1), targets.shape)) {
    throw new InputShapeError(
      `crossEntropy: logits [${logits.shape}] need targets [${logits.shape.slice(0, -1)}] (one class id per row of logits), got [${targets.shape}].`,
    );
  }
  if (targets.dtype !== 'int32') {
    throw new InputShapeError(
      `crossEntropy expects int32 class ids as targets, got ${targets.dtype}; cast with tf.cast(targets, 'int32').`,
    );
  }
  const vocab = logits.shape[logits.rank - 1];
  return tf.tidy(() => {
    const flatLogits = tf.reshape(logits, [-1, vocab]) as tf.Tensor2D;
    const flatTargets = tf.reshape(targets, [-1]) as tf.Tensor1D;
    const logp = tf.logSoftmax(flatLogits);
    const mask = tf.cast(tf.notEqual(flatTargets, ignoreIndex), 'float32');
    let perTarget = tf.neg(tf.sum(tf.mul(tf.oneHot(flatTargets, vocab), logp), -1));
    if (eps > 0) {
      const smooth = tf.neg(tf.mean(logp, -1));
      perTarget = tf.add(tf.mul(1 - eps, perTarget), tf.mul(eps, smooth));
    }
    const masked = tf.mul(perTarget, mask);
    if (reduction === 'none') return tf.reshape(masked, targets.shape);
    const total = tf.sum(masked);
    if (reduction === 'sum') return total;
    return tf.div(total, tf.maximum(tf.sum(mask), 1));
  });
}
