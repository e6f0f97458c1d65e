import * as tf from '@tensorflow/tfjs-core';

/**
 * tanh for the fused path. On wasm, `Tanh` is a scalar libm loop (about 8× slower than the
 * XNNPACK `Sigmoid` on a `[64, 256]` tensor), so there it is computed as `2·σ(2x) − 1`
 * (absolute error ≈ 1e-7); elsewhere, and for small tensors (a generation step) where the one
 * kernel call is cheaper than four, it is `tf.tanh`.
 */
export function fastTanh(x: tf.Tensor): tf.Tensor {
  if (x.size < 4096 || tf.getBackend() !== 'wasm') return tf.tanh(x);
  return tf.sub(tf.mul(tf.sigmoid(tf.mul(x, 2)), 2), 1);
}

/**
 * The column sums of a `[N, K]` matrix as one matmul with a row of ones (`[K]`): reductions over
 * axis 0 transpose first on wasm and cpu, a matmul does not.
 */
export function columnSums(x: tf.Tensor2D): tf.Tensor1D {
  const ones = tf.ones([1, x.shape[0]]) as tf.Tensor2D;
  return tf.reshape(tf.matMul(ones, x), [x.shape[1]]) as tf.Tensor1D;
}
