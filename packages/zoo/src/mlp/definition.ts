import { defineModel } from '@seqzoo/registry';
import { Mlp, mlpConfigSchema } from './mlp';

export const mlpModel = defineModel({
  description:
    'Perceptron / multi-layer perceptron on feature vectors: Dense layers with any hidden sizes and activations, softmax or sigmoid output.',
  configSchema: mlpConfigSchema,
  create: (config) => new Mlp(config),
});
