import type { Module } from '@seqzoo/layers';
import * as tf from '@tensorflow/tfjs-core';

/** Parameters (or their gradients) in `namedParameters()` order, as one flat float32 array. */
export function flatSize(model: Module): number {
  let n = 0;
  for (const v of model.namedParameters().values()) n += v.size;
  return n;
}

/** Writes the parameters (or, with `pick`, the tensors it gives by name; zeros where none). */
export function writeFlat(
  model: Module,
  into: Float32Array,
  pick?: (name: string) => tf.Tensor | undefined,
): void {
  let offset = 0;
  for (const [name, v] of model.namedParameters()) {
    const t = pick ? pick(name) : v;
    if (t) into.set(t.dataSync() as Float32Array, offset);
    else into.fill(0, offset, offset + v.size);
    offset += v.size;
  }
}

/** Loads the parameters from a flat array written by `writeFlat`. */
export function readFlat(model: Module, from: Float32Array): void {
  let offset = 0;
  for (const v of model.namedParameters().values()) {
    const t = tf.tensor(from.subarray(offset, offset + v.size), v.shape, 'float32');
    v.assign(t);
    t.dispose();
    offset += v.size;
  }
}
