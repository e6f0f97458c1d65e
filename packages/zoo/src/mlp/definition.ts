import { defineModel } from '@seqzoo/registry';
import { Mlp, zooMlpConfigSchema } from './mlp';

export const mlpModel = defineModel({
  description:
    'Perceptron / multi-layer perceptron on feature vectors: Dense layers with any hidden sizes and activations, softmax or sigmoid output. No task: it learns from numeric feature rows (Mlp.fit), not from texts.',
  configSchema: zooMlpConfigSchema,
  create: (config) => new Mlp(config),
  configOf: (model) => (model instanceof Mlp ? model.config : undefined),
});
