import type * as tf from '@tensorflow/tfjs-core';

/**
 * What the registry needs of a model: the `Module` contract of @seqzoo/layers, typed
 * structurally so that any object with named weights can be saved and loaded.
 */
export interface SavableModule {
  /** The trainable weights by dotted name (`encoder.rnn.weight_ih_l0`). */
  namedParameters(): Map<string, tf.Variable>;
  /** Every tensor that is saved (parameters and buffers) by dotted name. */
  stateDict(): Map<string, tf.Tensor>;
  /** Copies `state` into the model's tensors; `strict` (default true): names must match. */
  loadStateDict(
    state: Map<string, tf.Tensor> | Record<string, tf.Tensor>,
    options?: { strict?: boolean },
  ): void;
  /** Frees the model's tensors. */
  dispose(): void;
}
