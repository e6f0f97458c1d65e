import * as tf from '@tensorflow/tfjs-core';
import type { LayerUnderTest } from './bench-case';
import type { Cell } from './config';

/**
 * tf.layers.lstm / tf.layers.gru as users have them, made to compute the same function as ours:
 * `recurrentActivation: 'sigmoid'` (its default is hardSigmoid) and Glorot-uniform recurrent
 * weights (its default orthogonal initializer crashes in 4.22: `rMat.flatten is not a function`).
 * Importing tfjs-layers' Node bundle also registers every tfjs-core gradient.
 */
export async function makeTfjsLayer(
  cell: Cell,
  inputSize: number,
  units: number,
): Promise<LayerUnderTest> {
  const tfl = await import('@tensorflow/tfjs-layers');
  const config = {
    units,
    returnSequences: true,
    recurrentActivation: 'sigmoid' as const,
    kernelInitializer: 'glorotUniform' as const,
    recurrentInitializer: 'glorotUniform' as const,
  };
  const layer = cell === 'lstm' ? tfl.layers.lstm(config) : tfl.layers.gru(config);
  // The weights are created on the first call: make them now, on a one-step input.
  tf.dispose(tf.tidy(() => layer.apply(tf.zeros([1, 1, inputSize])) as tf.Tensor));
  return {
    apply: (x) => layer.apply(x) as tf.Tensor,
    params: layer.trainableWeights.map((w) => w.read() as tf.Variable),
    dispose() {
      layer.dispose();
    },
  };
}
