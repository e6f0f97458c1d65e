import { defineModel } from '@seqzoo/registry';
import * as tf from '@tensorflow/tfjs-core';
import { Mlp, mlpConfigSchema } from './mlp';

/** `fc{i}.weight` is `[in, out]`; PyTorch's Linear stores `[out, in]`. */
export function transposeDenseWeights(state: Map<string, tf.Tensor>): Map<string, tf.Tensor> {
  const out = new Map<string, tf.Tensor>();
  for (const [name, t] of state) {
    out.set(
      name,
      /(^|\.)fc\d+\.weight$|(^|\.)head\.weight$/.test(name) ? tf.transpose(t) : tf.clone(t),
    );
  }
  return out;
}

export const mlpModel = defineModel({
  description:
    'Perceptron / multi-layer perceptron on feature vectors: Dense layers with any hidden sizes and activations, softmax or sigmoid output.',
  configSchema: mlpConfigSchema,
  create: (config) => new Mlp(config),
  toPytorch: (state) => transposeDenseWeights(state),
  fromPytorch: (state) => transposeDenseWeights(state),
});
