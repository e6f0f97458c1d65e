// Generation step of a 2-layer, 256-unit LSTM (stepper, batch 1) on wasm: kernels per token and
// ms per token, with @seqzoo/backend's kernel overrides (default) or stock ones (STOCK_KERNELS=1):
//   node --conditions=@seqzoo/source --import tsx scripts/time-generation.ts
import { useBackend } from '@seqzoo/backend';
import * as tf from '@tensorflow/tfjs-core';
import { LSTM } from '../src/index';

await useBackend('wasm', { kernels: process.env.STOCK_KERNELS !== '1' });
const gen = new LSTM({ inputSize: 256, hiddenSize: 256, numLayers: 2, seed: 2 }).eval();
const stepper = gen.createStepper();
const token = tf.randomNormal([1, 256]);
for (let i = 0; i < 20; i++) stepper.step(token).dispose();
const info = await tf.profile(() => {
  for (let i = 0; i < 10; i++) stepper.step(token).dispose();
});
const calls = new Map<string, number>();
const ms = new Map<string, number>();
for (const k of info.kernels) {
  calls.set(k.name, (calls.get(k.name) ?? 0) + 0.1);
  ms.set(k.name, (ms.get(k.name) ?? 0) + (k.kernelTimeMs as number) / 10);
}
console.log(`kernels per token: ${info.kernels.length / 10}`);
for (const [name, n] of calls)
  console.log(`  ${name.padEnd(12)} ×${n.toFixed(0)}  ${ms.get(name)!.toFixed(3)} ms`);
for (let rep = 0; rep < 5; rep++) {
  const t0 = performance.now();
  for (let i = 0; i < 200; i++) stepper.step(token).dispose();
  stepper.state!.h.dataSync();
  console.log(`ms/token ${((performance.now() - t0) / 200).toFixed(3)}`);
}
stepper.dispose();
gen.dispose();
token.dispose();
