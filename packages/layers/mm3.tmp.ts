import { useBackend } from '@seqzoo/backend';
import * as tf from '@tensorflow/tfjs-core';

await useBackend('wasm');
const w = tf.randomNormal([256, 1024], 0, 0.05) as tf.Tensor2D;
const as = Array.from({ length: 64 }, () => tf.randomNormal([64, 256]) as tf.Tensor2D);
const a0 = as[0];
for (let rep = 0; rep < 3; rep++) {
  let t0 = performance.now();
  for (const a of as) tf.matMul(a, w).dispose();
  const distinct = performance.now() - t0;
  t0 = performance.now();
  for (let i = 0; i < 64; i++) tf.matMul(a0, w).dispose();
  const same = performance.now() - t0;
  t0 = performance.now();
  const outs = as.map((a) => tf.matMul(a, w));
  const kept = performance.now() - t0;
  tf.dispose(outs);
  console.log(
    'distinct',
    distinct.toFixed(0),
    'same',
    same.toFixed(0),
    'distinct-kept',
    kept.toFixed(0),
  );
}
