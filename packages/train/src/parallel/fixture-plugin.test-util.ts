// A plugin for the data-parallel tests: the registry's example MLP with a 3-class task whose
// batches split in parts. Worker threads import it from `module`. Examples whose first feature
// is 999 make the loss throw (a failing worker), NaN makes it NaN.
import { Rng } from '@seqzoo/data';
import {
  defineModel,
  definePlugin,
  ExampleMlp,
  mlpConfigSchema,
  type Task,
} from '@seqzoo/registry';
import * as tf from '@tensorflow/tfjs-core';

export interface Example {
  x: number[];
  y: number;
}
export interface Batch {
  x: number[][];
  y: number[];
}

export const fixtureTask: Task<ExampleMlp, Example, Batch> = {
  examples: 'custom',
  batches(_model, examples, options) {
    const order = examples.map((_, i) => i);
    if (options.training) new Rng(options.seed).shuffle(order);
    const out: Batch[] = [];
    for (let i = 0; i < order.length; i += options.batchSize) {
      const idx = order.slice(i, i + options.batchSize);
      out.push({ x: idx.map((k) => examples[k].x), y: idx.map((k) => examples[k].y) });
    }
    return out;
  },
  loss(model, batch) {
    if (batch.x.some((x) => x[0] === 999)) throw new Error('example 999 cannot be learned');
    return tf.tidy(() => model.loss({ x: tf.tensor2d(batch.x), y: tf.tensor1d(batch.y, 'int32') }));
  },
  size: (batch) => batch.x.length,
  split(batch, parts) {
    const n = Math.min(parts, batch.x.length);
    const each = Math.ceil(batch.x.length / n);
    return Array.from({ length: n }, (_, i) => ({
      x: batch.x.slice(i * each, (i + 1) * each),
      y: batch.y.slice(i * each, (i + 1) * each),
    })).filter((b) => b.x.length > 0);
  },
  async evaluate(model, examples) {
    const value = fixtureTask.loss(
      model,
      { x: examples.map((e) => e.x), y: examples.map((e) => e.y) },
      { training: false },
    );
    const loss = value.dataSync()[0];
    value.dispose();
    return { loss };
  },
  metric: { name: 'loss', mode: 'min' },
  predict: async () => [],
  training: { optimizer: 'adam', learningRate: 0.05, batchSize: 12 },
};

export const fixturePlugin = definePlugin({
  namespace: 'fixture',
  module: import.meta.url,
  models: {
    mlp: defineModel({
      description: 'The example MLP with a splittable task (tests only).',
      configSchema: mlpConfigSchema,
      create: (config) => new ExampleMlp(config),
      task: fixtureTask,
    }),
  },
});
