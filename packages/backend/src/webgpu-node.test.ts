import { existsSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { onEachBackend } from './testing';

// Dawn (the `webgpu` package) on Chromium's SwiftShader Vulkan driver: a real WebGPU device in
// Node without a GPU. CI installs chromium and libvulkan1, so there a missing ICD is a failure.
const ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';
const run = existsSync(ICD) || process.env.CI === 'true';

it.runIf(run)('webgpu runs in Node on SwiftShader and agrees with cpu within 1e-3', async () => {
  const results = await onEachBackend(
    ['webgpu', 'cpu'],
    async (info) => {
      const y = tf.tidy(() => {
        const a = tf.tensor2d(
          Array.from({ length: 64 * 32 }, (_, i) => Math.sin(i)),
          [64, 32],
        );
        const w = tf.tensor2d(
          Array.from({ length: 32 * 16 }, (_, i) => Math.cos(i)),
          [32, 16],
        );
        return tf.concat([tf.tanh(tf.matMul(a, w)), tf.sigmoid(tf.matMul(a, w))], 1);
      });
      // webgpu in Node has no OffscreenCanvas, so read asynchronously (dataSync needs it).
      const values = Array.from(await y.data());
      y.dispose();
      return { info, values };
    },
    { vulkanIcd: ICD },
  );
  const gpu = results.get('webgpu')!;
  const cpu = results.get('cpu')!;
  expect(gpu.info).toMatchObject({ backend: 'webgpu', device: 'gpu', softwareGpu: true });
  expect(gpu.info.adapter).toMatch(/swiftshader|google/i);
  const maxDiff = Math.max(...cpu.values.map((v, i) => Math.abs(v - gpu.values[i])));
  expect(maxDiff).toBeLessThanOrEqual(1e-3);
});
