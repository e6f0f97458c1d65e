import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { useBackend } from '@seqzoo/backend';
import { Dense } from '@seqzoo/layers';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ModelFileError } from './errors';
import { ExampleMlp, mlpConfigSchema } from './example/mlp';
import { examplePlugin } from './example/plugin';
import { definePlugin } from './plugin';
import { createRegistry } from './registry';
import { loadModel, saveModel } from './save-load';

let root: string;
beforeAll(async () => {
  await useBackend('cpu');
  root = await mkdtemp(join(tmpdir(), 'seqzoo-hand-built-'));
});
afterAll(() => rm(root, { recursive: true, force: true }));

describe('saving a model built by hand (new ExampleMlp(...), not registry.create)', () => {
  it('the definition that recognises its class saves it; it loads back with equal outputs', async () => {
    const registry = createRegistry({ plugins: [examplePlugin] });
    const config = mlpConfigSchema.parse({
      inputSize: 3,
      hiddenSizes: [4],
      outputSize: 2,
      seed: 9,
    });
    const model = new ExampleMlp(config, ['no', 'yes']);
    const x = tf.tensor2d([
      [0.1, -0.2, 0.3],
      [1, 0.5, -1],
    ]);
    const before = tf.memory().numTensors;
    const record = registry.recordOf(model);
    expect(record?.id).toBe('example:mlp');
    expect(record?.config).toEqual(config);
    const dir = join(root, 'mlp');
    await saveModel(registry, model, dir);
    expect(tf.memory().numTensors).toBe(before);

    const loaded = await loadModel<ExampleMlp>(registry, dir, { backend: 'cpu' });
    expect(loaded.id).toBe('example:mlp');
    expect(loaded.config).toEqual(config);
    expect(loaded.model.labels).toEqual(['no', 'yes']);
    const [a, b] = [model.forward(x), loaded.model.forward(x)];
    expect(Array.from(await b.data())).toEqual(Array.from(await a.data()));
    tf.dispose([a, b, x]);
    loaded.model.dispose();
    model.dispose();
  });

  it('a model no registered plugin recognises is refused with a typed error saying what to do', async () => {
    const registry = createRegistry({ plugins: [examplePlugin] });
    const dense = new Dense({ inputSize: 2, outputSize: 2, seed: 1 });
    const error = await saveModel(registry, dense, join(root, 'dense')).catch((e) => e);
    expect(error).toBeInstanceOf(ModelFileError);
    expect(error.message).toMatch(/no registered plugin recognises its class/);
    expect(error.message).toMatch(/registry\.create\(id, config\)/);
    // A registry without the example plugin does not know ExampleMlp either.
    const other = createRegistry({
      plugins: [definePlugin({ namespace: 'other', models: {} })],
    });
    const mlp = new ExampleMlp(
      mlpConfigSchema.parse({ inputSize: 2, hiddenSizes: [], outputSize: 2 }),
    );
    expect(other.recordOf(mlp)).toBeUndefined();
    await expect(saveModel(other, mlp, join(root, 'other'))).rejects.toThrow(ModelFileError);
    dense.dispose();
    mlp.dispose();
  });

  it('a config the model holds that the schema refuses is a ConfigError, not a bad save', () => {
    const registry = createRegistry({ plugins: [examplePlugin] });
    // 'linear' is an activation Dense takes, but not one the example:mlp schema allows.
    const bad = new ExampleMlp({
      ...mlpConfigSchema.parse({ inputSize: 2, hiddenSizes: [2], outputSize: 2 }),
      activation: 'linear' as never,
    });
    expect(() => registry.recordOf(bad)).toThrow(/activation/);
    bad.dispose();
  });
});
