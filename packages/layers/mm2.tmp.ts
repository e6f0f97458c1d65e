import { useBackend } from '@seqzoo/backend';
import * as tf from '@tensorflow/tfjs-core';

await useBackend('wasm', { kernels: process.env.K !== '0' } as any);
const w = tf.variable(tf.randomNormal([256, 1024], 0, 0.05));
const wc = tf.randomNormal([256, 1024], 0, 0.05);
for (const [label, W] of [
  ['variable', w],
  ['tensor', wc],
] as const) {
  let h = tf.randomNormal([64, 256]);
  for (let rep = 0; rep < 2; rep++) {
    let mmMs = 0;
    const t0 = performance.now();
    for (let t = 0; t < 64; t++) {
      const s = performance.now();
      const z = tf.matMul(h, W as tf.Tensor2D);
      mmMs += performance.now() - s;
      const nh = tf.sigmoid(tf.slice(z, [0, 0], [64, 256]));
      h.dispose();
      z.dispose();
      h = nh;
    }
    console.log(label, 'total', (performance.now() - t0).toFixed(1), 'matmul', mmMs.toFixed(1));
  }
}
