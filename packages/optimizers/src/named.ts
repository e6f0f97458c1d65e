import type * as tf from '@tensorflow/tfjs-core';

/** Parameters by dotted name, as `Module.namedParameters()` returns them (a Map or a plain object). */
export type NamedVariables = Map<string, tf.Variable> | Record<string, tf.Variable>;

/** Gradients by parameter name (what `valueAndGrads` or `tf.variableGrads` return). */
export type NamedTensors = Map<string, tf.Tensor> | Record<string, tf.Tensor>;

/** A Map view of a Map or a plain object, keeping insertion order. */
export function toMap<T>(named: Map<string, T> | Record<string, T>): Map<string, T> {
  if (named instanceof Map) return named;
  return new Map(Object.entries(named));
}
