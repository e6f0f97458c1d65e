import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { listBackends } from './list-backends';
import { useBackend } from './use-backend';

it('lists every backend with availability and reasons, and keeps the current backend', async () => {
  await useBackend('cpu');
  const rows = await listBackends();
  const by = Object.fromEntries(rows.map((r) => [r.backend, r]));
  expect(rows.map((r) => r.backend)).toEqual([
    'cuda',
    'webgpu',
    'webgl',
    'tensorflow',
    'wasm',
    'cpu',
  ]);
  expect(by.cpu.available).toBe(true);
  expect(by.wasm.available).toBe(true);
  expect(by.wasm.info?.device).toBe('cpu');
  expect(by.webgl).toMatchObject({
    available: false,
    reason: expect.stringMatching(/browser only/),
  });
  expect(by.cuda).toMatchObject({
    available: false,
    reason: expect.stringMatching(/tfjs-node-gpu is not installed/),
  });
  expect(by.tensorflow).toMatchObject({
    available: false,
    hint: expect.stringMatching(/npm install @tensorflow\/tfjs-node$/),
  });
  expect(by.webgpu).toMatchObject({
    available: false,
    reason: expect.stringMatching(/not probed in Node unless asked for by name/),
  });
  expect(tf.getBackend()).toBe('cpu');
});
