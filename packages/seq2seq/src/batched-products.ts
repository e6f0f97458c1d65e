import * as tf from '@tensorflow/tfjs-core';

/**
 * The two batched matrix–vector products of attention, with their own gradients. Both run
 * forward as one batched matmul; in the backward pass the gradient of the matrix is an outer
 * product per batch row, which autodiff computes as a batched matmul with an inner dimension of
 * 1 (on wasm ≈ 0.55 ms for a [64, 7, 256] memory, 10 % of a G2P decoder step) and which is
 * computed here as one broadcast multiply instead (≈ 20× faster).
 */

/** `y[b, s] = Σ_k m[b, s, k] · v[b, k]`: `[B, S, K]`, `[B, K]` → `[B, S]` (attention scores). */
export const matVec = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
  const [m, v] = args as tf.Tensor[];
  (args[2] as tf.GradSaveFunc)([m, v]);
  const [batch, rows] = m.shape;
  return {
    value: tf.reshape(tf.matMul(m as tf.Tensor3D, tf.expandDims(v, 2) as tf.Tensor3D), [
      batch,
      rows,
    ]),
    gradFunc: (dy: tf.Tensor, [mSaved, vSaved]: tf.Tensor[]) => [
      tf.mul(tf.expandDims(dy, 2), tf.expandDims(vSaved, 1)),
      vecMat(dy as tf.Tensor2D, mSaved as tf.Tensor3D),
    ],
  };
}) as (m: tf.Tensor3D, v: tf.Tensor2D) => tf.Tensor2D;

/** `y[b, k] = Σ_s w[b, s] · m[b, s, k]`: `[B, S]`, `[B, S, K]` → `[B, K]` (the context). */
export const vecMat = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
  const [w, m] = args as tf.Tensor[];
  (args[2] as tf.GradSaveFunc)([w, m]);
  const [batch, , size] = m.shape;
  return {
    value: tf.reshape(tf.matMul(tf.expandDims(w, 1) as tf.Tensor3D, m as tf.Tensor3D), [
      batch,
      size,
    ]),
    gradFunc: (dy: tf.Tensor, [wSaved, mSaved]: tf.Tensor[]) => [
      matVec(mSaved as tf.Tensor3D, dy as tf.Tensor2D),
      tf.mul(tf.expandDims(wSaved, 2), tf.expandDims(dy, 1)),
    ],
  };
}) as (w: tf.Tensor2D, m: tf.Tensor3D) => tf.Tensor2D;
