import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { useBackend } from '@seqzoo/backend';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ModelFileError } from './errors';
import { exampleMlp } from './example/mlp';
import type { SavableModule } from './module';
import { type CreateContext, definePlugin } from './plugin';
import { createRegistry } from './registry';
import { loadModel, saveModel } from './save-load';

// The example MLP with a spy on what `create` is told.
const contexts: CreateContext[] = [];
const spyPlugin = definePlugin({
  namespace: 'spy',
  models: {
    mlp: {
      ...exampleMlp,
      create: (config, context) => {
        contexts.push(context);
        return exampleMlp.create(config, context);
      },
    },
  },
});
const registry = createRegistry({ plugins: [spyPlugin] });
const config = { inputSize: 3, hiddenSizes: [4], outputSize: 2, seed: 5 };
const weights = (m: SavableModule) =>
  Object.fromEntries([...m.stateDict()].map(([k, v]) => [k, [...v.dataSync()]]));
let root: string;

describe('loadModel builds without random initialisation', () => {
  beforeAll(async () => {
    await useBackend('cpu');
    root = await mkdtemp(join(tmpdir(), 'seqzoo-noinit-'));
  });
  afterAll(() => rm(root, { recursive: true, force: true }));

  it('create gets initialize: true, load gets false; the loaded weights are the saved ones', async () => {
    contexts.length = 0;
    const model = await registry.create('spy:mlp', config, { backend: 'cpu' });
    await saveModel(registry, model, join(root, 'a'));
    const before = tf.memory().numTensors;
    const loaded = await loadModel(registry, join(root, 'a'));
    expect(contexts.map((c) => c.initialize)).toEqual([true, false]);
    expect(weights(loaded.model)).toEqual(weights(model));
    loaded.model.dispose();
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });

  it('registry.create(…, { initialize: false }) gives zeros; the default draws', async () => {
    const zeros = await registry.create('spy:mlp', config, { initialize: false });
    const drawn = await registry.create('spy:mlp', config);
    expect(
      Object.values(weights(zeros))
        .flat()
        .every((x) => x === 0),
    ).toBe(true);
    expect(
      Object.values(weights(drawn))
        .flat()
        .some((x) => x !== 0),
    ).toBe(true);
    zeros.dispose();
    drawn.dispose();
  });

  it('still checks the weights file: a file missing a tensor is refused, nothing leaks', async () => {
    const model = await registry.create('spy:mlp', { ...config, hiddenSizes: [4] });
    const small = await registry.create('spy:mlp', { ...config, hiddenSizes: [] });
    await saveModel(registry, model, join(root, 'b'));
    await saveModel(registry, small, join(root, 'c'));
    // b's model.json (a hidden layer) over c's weights (none): the file lacks fc1.
    const json = JSON.parse(await readFile(join(root, 'b', 'model.json'), 'utf8'));
    const c = JSON.parse(await readFile(join(root, 'c', 'model.json'), 'utf8'));
    await writeFile(join(root, 'c', 'model.json'), JSON.stringify({ ...c, config: json.config }));
    const before = tf.memory().numTensors;
    const error = await loadModel(registry, join(root, 'c')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModelFileError);
    expect((error as ModelFileError).code).toBe('WEIGHTS_MISMATCH');
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
    small.dispose();
  });
});
