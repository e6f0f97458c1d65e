// Writes goldens/saved-mlp-v1/: an example:mlp saved with format version 1 (with labels and an
// Adam-like optimizer buffer), plus the outputs it must give. Tests load it from disk (Node) and
// over http (Chromium), so a change that breaks reading existing saved models fails.
// Run: node --conditions=@seqzoo/source --import tsx packages/registry/scripts/make-saved-mlp.ts
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { createRegistry, type ExampleMlp, examplePlugin, saveModel } from '../src';

const dir = join(dirname(fileURLToPath(import.meta.url)), '../goldens/saved-mlp-v1');
const registry = createRegistry({ plugins: [examplePlugin] });
const model = await registry.create<ExampleMlp>(
  'example:mlp',
  { inputSize: 3, hiddenSizes: [5], outputSize: 2, activation: 'relu', seed: 11 },
  { backend: 'cpu', vocabularies: { labels: ['ham', 'spam'] } },
);
// Move the weights away from their initial values, so that loading them is what the test checks.
for (const v of model.namedParameters().values()) v.assign(tf.add(tf.mul(v, -1.5), 0.1));
const buffer = tf.fill([5, 3], 0.25);
await saveModel(registry, model, dir, {
  optimizer: {
    tensors: new Map([['state.fc0.weight.exp_avg', buffer]]),
    meta: { type: 'adam', step: 1 },
  },
  training: { steps: 1 },
});
const x = [
  [1, -2, 0.5],
  [0.1, 0.2, 0.3],
];
const y = model.forward(tf.tensor2d(x));
writeFileSync(join(dir, 'expected.json'), `${JSON.stringify({ x, y: await y.array() })}\n`);
