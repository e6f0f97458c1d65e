import * as tf from '@tensorflow/tfjs-core';
import '#register-gradients';
import type { Module } from './module';

/**
 * Runs `f` (which must return a scalar) and returns its value and the gradient of it with
 * respect to each trainable parameter of `module`, keyed by dotted path. Parameters that `f`
 * does not use get no entry (like PyTorch's `grad is None`). The caller owns (disposes) `value`
 * and the gradients.
 */
export function valueAndGrads(
  module: Module,
  f: () => tf.Scalar,
): { value: tf.Scalar; grads: Map<string, tf.Tensor> } {
  const named = module.namedParameters();
  const { value, grads } = tf.variableGrads(f, [...named.values()]);
  const out = new Map<string, tf.Tensor>();
  for (const [path, v] of named) {
    const g = grads[v.name];
    if (g) out.set(path, g);
  }
  return { value, grads: out };
}
