import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { useBackend } from '@seqzoo/backend';
import { createRegistry, ExampleMlp, mlpConfigSchema } from '@seqzoo/registry';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { FitOptionsError, NonFiniteLossError, ReplicaError } from '../errors';
import { fitTask } from '../fit-task';
import { items } from '../fixtures.test-util';
import { fixturePlugin, fixtureTask } from './fixture-plugin.test-util';

const registry = createRegistry({ plugins: [fixturePlugin] });
const config = { inputSize: 4, hiddenSizes: [16], outputSize: 3, seed: 3 };

beforeAll(async () => {
  await useBackend('cpu');
});

async function run(workers: number, steps: number) {
  const model = await registry.create('fixture:mlp', config);
  const r = await fitTask(model, fixtureTask, { train: items(96) }, { workers, maxSteps: steps });
  const weights = tf.tidy(() =>
    tf.concat([...model.namedParameters().values()].map((v) => tf.reshape(v, [-1]))).arraySync(),
  );
  model.dispose();
  return { losses: r.losses, weights: weights as number[] };
}

describe('fitTask with workers (data parallel)', () => {
  it('2 and 3 threads follow the 1-thread loss trajectory within 1e-5 over 20 steps', async () => {
    const one = await run(1, 20);
    const before = tf.memory().numTensors;
    const two = await run(2, 20);
    const three = await run(3, 20);
    expect(tf.memory().numTensors).toBe(before);
    expect(one.losses).toHaveLength(20);
    // The loss falls: the run is learning, so equal trajectories mean equal steps.
    expect(one.losses[19]).toBeLessThan(one.losses[0] * 0.8);
    for (const other of [two, three]) {
      const lossGap = Math.max(...other.losses.map((l, i) => Math.abs(l - one.losses[i])));
      const weightGap = Math.max(...other.weights.map((w, i) => Math.abs(w - one.weights[i])));
      expect(other.losses).toHaveLength(20);
      expect(lossGap).toBeLessThan(1e-5);
      expect(weightGap).toBeLessThan(1e-5);
    }
  }, 180_000);

  it('a failing replica stops the run with its message', async () => {
    const model = await registry.create('fixture:mlp', config);
    // One unlearnable example: it lands in a worker's part of some batch of the first epoch.
    const train = items(96);
    train[50] = { x: [999, 0, 0, 0], y: 0 };
    await expect(
      fitTask(model, fixtureTask, { train }, { workers: 4, epochs: 1, batchSize: 96 }),
    ).rejects.toThrow(/example 999 cannot be learned/);
    model.dispose();
  }, 180_000);

  it('refuses what cannot train in parallel, with the reason', async () => {
    const byHand = new ExampleMlp(mlpConfigSchema.parse(config));
    await expect(
      fitTask(byHand, fixtureTask, { train: items(24) }, { workers: 2, maxSteps: 1 }),
    ).rejects.toThrow(/built by a registry/);
    const model = await registry.create('fixture:mlp', config);
    const { split: _, ...unsplittable } = fixtureTask;
    await expect(
      fitTask(model, unsplittable, { train: items(24) }, { workers: 2, maxSteps: 1 }),
    ).rejects.toThrow(/cannot split a batch/);
    await expect(
      fitTask(model, fixtureTask, { train: items(24) }, { workers: 1.5 }),
    ).rejects.toThrow(FitOptionsError);
    byHand.dispose();
    model.dispose();
  }, 30_000);
});

describe('workers are stopped and joined on every exit path', () => {
  // Each case runs in a child process that must exit by itself: a worker left running keeps
  // it alive past the timeout.
  const child = fileURLToPath(new URL('./workers-exit.fixture.ts', import.meta.url));
  for (const outcome of ['success', 'error', 'nan', 'abort'] as const) {
    it(`on ${outcome}`, () => {
      const r = spawnSync(
        process.execPath,
        ['--conditions=@seqzoo/source', '--import', 'tsx', child, outcome],
        { encoding: 'utf8', timeout: 150_000 },
      );
      expect(r.error, r.stderr).toBeUndefined();
      expect(r.status, r.stderr).toBe(0);
      const expected = {
        success: 'completed',
        error: ReplicaError.name,
        nan: NonFiniteLossError.name,
        abort: 'aborted',
      }[outcome];
      expect(r.stdout.trim()).toBe(`${outcome}: ${expected}`);
    }, 180_000);
  }
});
