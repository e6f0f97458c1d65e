import { currentBackend, useBackend } from '@seqzoo/backend';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, expectTypeOf, it } from 'vitest';
import type { ExampleMlp, exampleMlp } from './example/mlp';
import { examplePlugin } from './example/plugin';
import type { ConfigOf } from './plugin';
import { createRegistry } from './registry';

const registry = createRegistry({ plugins: [examplePlugin] });

describe('create without a backend option', () => {
  it("builds on the app's backend and never switches it", async () => {
    await useBackend('cpu');
    const model = await registry.create('example:mlp', { hiddenSizes: [3] });
    expect(tf.getBackend()).toBe('cpu');
    expect(registry.recordOf(model)?.backend.backend).toBe('cpu');
    await useBackend('wasm');
    const other = await registry.create('example:mlp', {});
    expect(tf.getBackend()).toBe('wasm');
    expect(registry.recordOf(other)?.backend.backend).toBe('wasm');
    expect(currentBackend()?.backend).toBe('wasm');
    model.dispose();
    other.dispose();
  });

  it('switches only when asked to', async () => {
    await useBackend('wasm');
    const model = await registry.create('example:mlp', {}, { backend: 'cpu' });
    expect(tf.getBackend()).toBe('cpu');
    model.dispose();
  });
});

describe('the typed registry', () => {
  it('knows each id, its config and its model type', async () => {
    const model = await registry.create('example:mlp', { hiddenSizes: [2] }, { backend: 'cpu' });
    expectTypeOf(model).toEqualTypeOf<ExampleMlp>();
    expectTypeOf<ConfigOf<typeof exampleMlp>>().toEqualTypeOf<{
      inputSize?: number;
      hiddenSizes?: number[];
      outputSize?: number;
      activation?: 'relu' | 'tanh' | 'sigmoid';
      seed?: number;
    }>();
    // A run-time id (from a file, a command line) still works; the caller names the type.
    const id: string = 'example:mlp';
    const dynamic = await registry.create<ExampleMlp>(id, {}, { backend: 'cpu' });
    expect(dynamic.parameters().length).toBeGreaterThan(0);
    model.dispose();
    dynamic.dispose();
  });
});
