import type * as tf from '@tensorflow/tfjs-core';

/**
 * What the registry needs of a model: the `Module` contract of @seqzoo/layers, typed
 * structurally so that any object with named weights can be saved and loaded.
 */
export interface SavableModule {
  namedParameters(): Map<string, tf.Variable>;
  stateDict(): Map<string, tf.Tensor>;
  loadStateDict(
    state: Map<string, tf.Tensor> | Record<string, tf.Tensor>,
    options?: { strict?: boolean },
  ): void;
  dispose(): void;
}
