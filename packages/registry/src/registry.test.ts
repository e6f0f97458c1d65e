import { useBackend } from '@seqzoo/backend';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { ConfigError, PluginError, UnknownModelError } from './errors';
import type { ExampleMlp } from './example/mlp';
import { examplePlugin } from './example/plugin';
import { createRegistry } from './registry';

const registry = createRegistry({ plugins: [examplePlugin] });

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  throw new Error('nothing was thrown');
}

async function rejected(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  throw new Error('the promise resolved');
}

describe('createRegistry', () => {
  beforeAll(() => useBackend('cpu'));

  it('lists and describes the models with their defaults and JSON schema', () => {
    expect(registry.list()).toEqual([
      {
        id: 'example:mlp',
        namespace: 'example',
        name: 'mlp',
        description: expect.stringMatching(/perceptron/),
      },
    ]);
    const d = registry.describe('example:mlp');
    expect(d.defaults).toEqual({
      inputSize: 4,
      hiddenSizes: [16],
      outputSize: 3,
      activation: 'tanh',
      seed: 0,
    });
    expect((d.configSchema as { properties: Record<string, unknown> }).properties).toHaveProperty(
      'activation',
    );
  });

  it('creates a model on the backend asked for, defaults filled in', async () => {
    const model = await registry.create<ExampleMlp>(
      'example:mlp',
      { hiddenSizes: [5] },
      { backend: 'cpu' },
    );
    expect(tf.getBackend()).toBe('cpu');
    expect(model.config).toMatchObject({ inputSize: 4, hiddenSizes: [5], outputSize: 3 });
    expect([...model.stateDict().keys()]).toEqual([
      'fc0.weight',
      'fc0.bias',
      'fc1.weight',
      'fc1.bias',
    ]);
    expect(registry.recordOf(model)?.id).toBe('example:mlp');
    const y = tf.tidy(() => model.forward(tf.ones([2, 4])));
    expect(y.shape).toEqual([2, 3]);
    y.dispose();
    model.dispose();
  });

  it('names the bad field and the allowed values', async () => {
    const e = (await rejected(
      // @ts-expect-error: the typed registry rejects 'swish' at compile time too
      registry.create('example:mlp', { activation: 'swish', inputSize: 0 }, { backend: 'cpu' }),
    )) as ConfigError;
    expect(e).toBeInstanceOf(ConfigError);
    const byPath = Object.fromEntries(e.issues.map((i) => [i.path, i]));
    expect(byPath.activation.allowed).toEqual(['relu', 'tanh', 'sigmoid']);
    expect(byPath.activation.message).toMatch(/swish/);
    expect(byPath.inputSize.message).toMatch(/0/);
    expect(e.message).toMatch(/activation: .*allowed: "relu", "tanh", "sigmoid"/);
  });

  it('rejects a misspelt field, listing the fields there are', async () => {
    const e = (await rejected(
      // @ts-expect-error: a misspelt field does not compile either
      registry.create('example:mlp', { hiden: [3] }, { backend: 'cpu' }),
    )) as ConfigError;
    expect(e).toBeInstanceOf(ConfigError);
    expect(e.issues[0].path).toBe('hiden');
    expect(e.issues[0].allowed).toContain('hiddenSizes');
    expect(e.message).toMatch(/hiden/);
  });

  it('unknown ids list the registered ones', async () => {
    const e = (await rejected(registry.create('zoo:char-lm', {}))) as UnknownModelError;
    expect(e).toBeInstanceOf(UnknownModelError);
    expect(e.known).toEqual(['example:mlp']);
    expect(e.message).toMatch(/example:mlp/);
    expect(thrown(() => registry.describe('nope'))).toBeInstanceOf(UnknownModelError);
  });

  it('refuses malformed plugins and duplicate namespaces', () => {
    expect(
      thrown(() => createRegistry({ plugins: [examplePlugin, examplePlugin] })),
    ).toBeInstanceOf(PluginError);
    expect(
      thrown(() => createRegistry({ plugins: [{ namespace: 'Bad NS', models: {} }] })),
    ).toBeInstanceOf(PluginError);
    const noSchema = {
      namespace: 'x',
      models: {
        m: { description: '', configSchema: {} as z.ZodType, create: () => ({}) as never },
      },
    };
    expect(thrown(() => createRegistry({ plugins: [noSchema] }))).toBeInstanceOf(PluginError);
  });
});
