import { crossEntropy } from '@seqzoo/layers';
import type * as tf from '@tensorflow/tfjs-core';

/** Options of `maskedCrossEntropy`. */
export interface CrossEntropyOptions {
  /** Target id that is ignored (padding); default 0, the `<pad>` of `@seqzoo/data`'s Vocab. */
  padId?: number;
  /** Label smoothing ε in [0, 1]: the target is (1-ε)·one-hot + ε/V (PyTorch's definition). */
  labelSmoothing?: number;
}

/**
 * Cross-entropy averaged over the non-padding targets, as
 * `torch.nn.functional.cross_entropy(logits, targets, ignore_index=pad, label_smoothing=ε)`:
 * @seqzoo/layers' `crossEntropy` with `ignoreIndex: padId` (0 when every target is padding).
 * `logits` `[..., V]`, `targets` int32 with the leading shape of `logits`.
 */
export function maskedCrossEntropy(
  logits: tf.Tensor,
  targets: tf.Tensor,
  options: CrossEntropyOptions = {},
): tf.Scalar {
  return crossEntropy(logits, targets, {
    ignoreIndex: options.padId ?? 0,
    labelSmoothing: options.labelSmoothing,
  }) as tf.Scalar;
}
