import { Dense, Module } from '@seqzoo/layers';
import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import { defineModel } from '../plugin';

/** Upper bounds, so that a hostile config (a model.json) cannot make `create` allocate gigabytes. */
const MAX_WIDTH = 65_536;
const MAX_PARAMETERS = 64 * 1024 * 1024;

/** The config of `ExampleMlp`: input, hidden and output sizes, activation and seed, with defaults. */
export const mlpConfigSchema = z
  .object({
    inputSize: z.number().int().positive().max(MAX_WIDTH).default(4),
    hiddenSizes: z.array(z.number().int().positive().max(MAX_WIDTH)).max(64).default([16]),
    outputSize: z.number().int().positive().max(MAX_WIDTH).default(3),
    activation: z.enum(['relu', 'tanh', 'sigmoid']).default('tanh'),
    seed: z.number().int().default(0),
  })
  .refine(
    (c) => {
      const sizes = [c.inputSize, ...c.hiddenSizes, c.outputSize];
      let n = 0;
      for (let i = 1; i < sizes.length; i++) n += (sizes[i - 1] + 1) * sizes[i];
      return n <= MAX_PARAMETERS;
    },
    { message: `the MLP would have more than ${MAX_PARAMETERS} parameters` },
  );

/** A validated `ExampleMlp` config. */
export type MlpConfig = z.output<typeof mlpConfigSchema>;

/** A plain multi-layer perceptron: Dense → activation → … → Dense (logits). */
export class ExampleMlp extends Module {
  readonly layers: Dense[];
  /** Class names, when given as a vocabulary (saved with the model). */
  readonly labels: string[] | undefined;

  constructor(
    readonly config: MlpConfig,
    labels?: string[],
  ) {
    super();
    const sizes = [config.inputSize, ...config.hiddenSizes, config.outputSize];
    this.layers = sizes.slice(1).map((outputSize, i) =>
      this.registerModule(
        `fc${i}`,
        new Dense({
          inputSize: sizes[i],
          outputSize,
          activation: i < sizes.length - 2 ? config.activation : 'linear',
          seed: config.seed * 1000 + i,
        }),
      ),
    );
    this.labels = labels;
  }

  /** `x`: `[batch, inputSize]` → logits `[batch, outputSize]`. */
  forward(x: tf.Tensor): tf.Tensor2D {
    return tf.tidy(() => this.layers.reduce((h, layer) => layer.forward(h), x)) as tf.Tensor2D;
  }

  /** Mean softmax cross-entropy of the logits against integer labels `y` `[batch]`. */
  loss(batch: { x: tf.Tensor; y: tf.Tensor }): tf.Scalar {
    return tf.tidy(() => {
      const logits = this.forward(batch.x);
      const onehot = tf.oneHot(tf.cast(batch.y, 'int32') as tf.Tensor1D, this.config.outputSize);
      return tf.losses.softmaxCrossEntropy(onehot, logits) as tf.Scalar;
    });
  }
}

/** The MLP as a registry model: `fc{i}.weight` is `[in, out]` here, `[out, in]` in the saved file (nn.Linear). */
export const exampleMlp = defineModel({
  description: 'A multi-layer perceptron classifier (example plugin for tests and docs).',
  configSchema: mlpConfigSchema,
  create: (config, context) =>
    new ExampleMlp(config, context.vocabularies?.labels as string[] | undefined),
  vocabularies: (model: ExampleMlp) => (model.labels ? { labels: model.labels } : {}),
  // weights.safetensors holds PyTorch names: an nn.Module with nn.Linear attributes fc0, fc1, …
  pytorch: true,
  // `new ExampleMlp(config)` (built without the registry) saves too.
  configOf: (model) => (model instanceof ExampleMlp ? model.config : undefined),
});
