import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, expect, it } from 'vitest';
import { availableBackends, expectNoLeaks, TensorLeakError } from './testing';
import { useBackend } from './use-backend';

beforeAll(async () => {
  await useBackend('cpu');
});

it('expectNoLeaks passes a tidy block and returns its result', async () => {
  const v = await expectNoLeaks(() =>
    tf.tidy(() => tf.add(tf.scalar(1), tf.scalar(2)).dataSync()[0]),
  );
  expect(v).toBe(3);
});

it('expectNoLeaks throws TensorLeakError with the count for a leaking block', async () => {
  let kept: tf.Tensor[] = [];
  const error = await expectNoLeaks(() => {
    kept = [tf.scalar(1), tf.scalar(2)];
  }, 'the step').catch((e) => e);
  expect(error).toBeInstanceOf(TensorLeakError);
  expect(error.leaked).toBe(2);
  expect(error.message).toMatch(/the step leaked 2 tensor/);
  tf.dispose(kept);
});

it('availableBackends separates what starts from what does not', async () => {
  const { available, skipped } = await availableBackends(['cpu', 'webgl', 'wasm']);
  expect(available).toEqual(['cpu', 'wasm']);
  expect(skipped.webgl).toMatch(/browser only/);
});
