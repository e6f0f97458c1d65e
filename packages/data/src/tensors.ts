import * as tf from '@tensorflow/tfjs-core';
import type { Padded, PaddedBatch } from './padding';

/** A padded batch as tensors: int32 ids [batch, time], int32 lengths [batch], float32 mask [batch, time]. */
export interface BatchTensors {
  ids: tf.Tensor2D;
  lengths: tf.Tensor1D;
  mask: tf.Tensor2D;
}

/** A padded batch (or an object of them) with each `PaddedBatch` turned into tensors. */
export type TensorsOf<P> = P extends PaddedBatch
  ? BatchTensors
  : { [K in keyof P]: P[K] extends PaddedBatch ? BatchTensors : P[K] };

function one(b: PaddedBatch): BatchTensors {
  return {
    ids: tf.tensor2d(b.ids, b.shape, 'int32'),
    lengths: tf.tensor1d(b.lengths, 'int32'),
    mask: tf.tensor2d(Float32Array.from(b.mask), b.shape, 'float32'),
  };
}

/**
 * Converts a padded batch (or an object of them, from `paddedBatch` on object items) into
 * tensors. The caller owns them: `tf.dispose(Object.values(t))` or dispose inside `tf.tidy`.
 * The mask is float32 (1 = token, 0 = padding) so that it multiplies a per-token loss directly.
 */
export function toTensors<P extends Padded<unknown> | PaddedBatch>(batch: P): TensorsOf<P> {
  if ((batch as PaddedBatch).kind === 'padded') return one(batch as PaddedBatch) as TensorsOf<P>;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(batch as object))
    out[k] = (v as PaddedBatch)?.kind === 'padded' ? one(v as PaddedBatch) : v;
  return out as TensorsOf<P>;
}
