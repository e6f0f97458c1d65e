import { useBackend } from '@seqzoo/backend';
import * as tf from '@tensorflow/tfjs-core';

await useBackend('wasm');
function bench(
  label: string,
  m: number,
  k: number,
  n: number,
  reps: number,
  op: (a: tf.Tensor2D, b: tf.Tensor2D) => tf.Tensor = (a, b) => tf.matMul(a, b),
) {
  const a = tf.randomNormal([m, k]) as tf.Tensor2D;
  const b = tf.randomNormal([k, n]) as tf.Tensor2D;
  op(a, b).dispose();
  const t0 = performance.now();
  for (let i = 0; i < reps; i++) op(a, b).dispose();
  const ms = (performance.now() - t0) / reps;
  console.log(label, ms.toFixed(2), 'ms', ((2 * m * k * n) / ms / 1e6).toFixed(1), 'GFLOP/s');
}
bench('1024^3', 1024, 1024, 1024, 3);
bench('64x256x1024', 64, 256, 1024, 50);
bench('64x1024x256', 64, 1024, 256, 50);
bench('4096x128x1024', 4096, 128, 1024, 5);
const x = tf.randomNormal([64, 256]);
for (const [name, f] of [
  ['tanh', tf.tanh],
  ['sigmoid', tf.sigmoid],
  ['mul', (t: tf.Tensor) => tf.mul(t, t)],
  ['exp', tf.exp],
] as const) {
  (f as any)(x).dispose();
  const t0 = performance.now();
  for (let i = 0; i < 200; i++) (f as any)(x).dispose();
  console.log(name, ((performance.now() - t0) / 200).toFixed(3), 'ms');
}
