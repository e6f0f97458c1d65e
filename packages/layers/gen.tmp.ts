import '@tensorflow/tfjs-layers';
import { useBackend } from '@seqzoo/backend';
import * as tf from '@tensorflow/tfjs-core';
import { LSTM } from './src/index';

await useBackend('wasm', { kernels: process.env.K !== '0' } as any);
const gen = new LSTM({ inputSize: 256, hiddenSize: 256, numLayers: 2, seed: 2 }).eval();
const stepper = gen.createStepper();
const token = tf.randomNormal([1, 256]);
for (let i = 0; i < 20; i++) stepper.step(token).dispose();
const info = await tf.profile(() => {
  for (let i = 0; i < 10; i++) stepper.step(token).dispose();
});
const by = new Map<string, number>();
for (const k of info.kernels) by.set(k.name, (by.get(k.name) ?? 0) + 1);
console.log(
  'kernels per token:',
  info.kernels.length / 10,
  Object.fromEntries([...by].map(([k, n]) => [k, n / 10])),
);
for (let rep = 0; rep < 5; rep++) {
  const t0 = performance.now();
  for (let i = 0; i < 200; i++) stepper.step(token).dispose();
  stepper.state!.h.dataSync();
  console.log('ms/token', ((performance.now() - t0) / 200).toFixed(3));
}
const info2 = await tf.profile(() => {
  for (let i = 0; i < 10; i++) stepper.step(token).dispose();
});
const ms = new Map<string, number>();
for (const k of info2.kernels)
  ms.set(k.name, (ms.get(k.name) ?? 0) + (k.kernelTimeMs as number) / 10);
console.log(
  'ms per token by kernel',
  Object.fromEntries([...ms].map(([k, v]) => [k, v.toFixed(3)])),
);
