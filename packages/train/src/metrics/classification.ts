import * as tf from '@tensorflow/tfjs-core';

/** A metric value pooled over batches: the mean is `sum / count`. */
export interface Pooled {
  sum: number;
  count: number;
}

/** Fraction of rows whose argmax of `logits` `[batch, classes]` equals `labels` `[batch]`. */
export function accuracy(logits: tf.Tensor, labels: tf.Tensor): Pooled {
  const correct = tf.tidy(() =>
    tf.sum(tf.cast(tf.equal(tf.argMax(logits, -1), tf.cast(labels, 'int32')), 'float32')),
  );
  const sum = correct.dataSync()[0];
  correct.dispose();
  return { sum, count: labels.size };
}

/**
 * Token accuracy of `logits` `[batch, time, vocab]` against `labels` `[batch, time]`, counting
 * only positions where `mask` (1/0 or bool, `[batch, time]`) is set — padding is left out.
 */
export function tokenAccuracy(logits: tf.Tensor, labels: tf.Tensor, mask?: tf.Tensor): Pooled {
  const [sum, count] = tf.tidy(() => {
    const hit = tf.cast(tf.equal(tf.argMax(logits, -1), tf.cast(labels, 'int32')), 'float32');
    const m = mask ? tf.cast(mask, 'float32') : tf.onesLike(hit);
    return [tf.sum(tf.mul(hit, m)), tf.sum(m)];
  });
  const out = { sum: sum.dataSync()[0], count: count.dataSync()[0] };
  sum.dispose();
  count.dispose();
  return out;
}

/** Perplexity from a mean negative log-likelihood in nats per token. */
export function perplexity(meanNll: number): number {
  return Math.exp(meanNll);
}

/** Bits per character (or token) from a mean negative log-likelihood in nats. */
export function bitsPerChar(meanNll: number): number {
  return meanNll / Math.LN2;
}
