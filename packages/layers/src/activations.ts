import * as tf from '@tensorflow/tfjs-core';
import { LayerConfigError } from './errors';

/** The built-in activations by name. */
export type ActivationName = 'linear' | 'relu' | 'tanh' | 'sigmoid' | 'elu' | 'gelu' | 'softmax';
/** A named activation or any tensor → tensor function. */
export type Activation = ActivationName | ((x: tf.Tensor) => tf.Tensor);

/** Turns an activation name into a function (GELU is the exact erf form, as in PyTorch). */
export function resolveActivation(activation: Activation): (x: tf.Tensor) => tf.Tensor {
  if (typeof activation === 'function') return activation;
  switch (activation) {
    case 'linear':
      return (x) => x;
    case 'relu':
      return (x) => tf.relu(x);
    case 'tanh':
      return (x) => tf.tanh(x);
    case 'sigmoid':
      return (x) => tf.sigmoid(x);
    case 'elu':
      return (x) => tf.elu(x);
    case 'gelu':
      return (x) => tf.mul(tf.mul(x, 0.5), tf.add(1, tf.erf(tf.mul(x, Math.SQRT1_2))));
    case 'softmax':
      return (x) => tf.softmax(x);
    default:
      throw new LayerConfigError(
        'activation',
        `unknown activation '${String(activation)}'; use linear, relu, tanh, sigmoid, elu, gelu, softmax or a function.`,
      );
  }
}
