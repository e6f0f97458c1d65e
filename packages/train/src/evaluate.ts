import type { Dataset } from '@seqzoo/data';
import type { Module } from '@seqzoo/layers';
import * as tf from '@tensorflow/tfjs-core';
import type { Pooled } from './metrics/classification';

/** Per-batch metric values: a number (averaged over batches) or `{ sum, count }` (pooled). */
export type BatchMetrics<B, M extends Module = Module> = (
  model: M,
  batch: B,
) => Record<string, number | Pooled>;

/** Options of `evaluate`. */
export interface EvaluateOptions<B, M extends Module = Module> {
  /** Computes the loss of a batch (a scalar tensor). */
  loss: (model: M, batch: B) => tf.Scalar;
  metrics?: BatchMetrics<B, M>;
  /** Dispose the tensors found in each batch after use (default true). */
  disposeBatches?: boolean;
}

/** Disposes the tensors directly inside a batch (a tensor, an array or an object of them). */
export function disposeBatch(batch: unknown): void {
  if (batch instanceof tf.Tensor) {
    batch.dispose();
  } else if (batch && typeof batch === 'object') {
    for (const v of Object.values(batch)) if (v instanceof tf.Tensor) v.dispose();
  }
}

/**
 * Runs the model in eval mode over `data` and returns the mean loss (over batches) and the metrics
 * (numbers averaged over batches, `{ sum, count }` pooled). Training mode is restored after.
 */
export async function evaluate<B, M extends Module = Module>(
  model: M,
  data: Dataset<B>,
  options: EvaluateOptions<B, M>,
): Promise<Record<string, number>> {
  const wasTraining = model.training;
  model.eval();
  const sums = new Map<string, { sum: number; count: number }>();
  const add = (name: string, sum: number, count: number) => {
    const s = sums.get(name) ?? { sum: 0, count: 0 };
    s.sum += sum;
    s.count += count;
    sums.set(name, s);
  };
  try {
    for await (const batch of data) {
      const loss = tf.tidy(() => options.loss(model, batch));
      add('loss', (await loss.data())[0], 1);
      loss.dispose();
      for (const [name, v] of Object.entries(options.metrics?.(model, batch) ?? {})) {
        if (typeof v === 'number') add(name, v, 1);
        else add(name, v.sum, v.count);
      }
      if (options.disposeBatches !== false) disposeBatch(batch);
    }
  } finally {
    model.train(wasTraining);
  }
  return Object.fromEntries([...sums].map(([k, s]) => [k, s.count ? s.sum / s.count : Number.NaN]));
}
