import * as tf from '@tensorflow/tfjs-core';
import type { RecurrentCell } from './recurrent-cell';

/**
 * One step of `cell` through its fused maths (for generation: two matmuls on the variables
 * themselves, whose transposes and packed forms backends can cache, and the gate maths), or its
 * plain step when it has none. Returns the new state list (h first). Call inside `tf.tidy`.
 */
export function fusedStep(cell: RecurrentCell, x: tf.Tensor2D, prev: tf.Tensor2D[]): tf.Tensor2D[] {
  const math = cell.math;
  if (!math) return cell.stepState(x, prev);
  let xp: tf.Tensor = tf.matMul(x, cell.weightIh as tf.Tensor2D);
  let hp: tf.Tensor = tf.matMul(prev[0], cell.weightHh as tf.Tensor2D);
  if (cell.biasIh && cell.biasHh) {
    if (math.shared) {
      xp = tf.add(xp, tf.add(cell.biasIh, cell.biasHh));
    } else {
      xp = tf.add(xp, cell.biasIh);
      hp = tf.add(hp, cell.biasHh);
    }
  }
  return math.forward(xp, hp, prev).state as tf.Tensor2D[];
}
