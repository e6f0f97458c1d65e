// Kernel-time profile of one inference and one training step (tf.profile), grouped by kernel:
//   node --conditions=@seqzoo/source --import tsx scripts/profile-rnn.ts [cpu|wasm] [lstm|gru] [S|M]
import '@tensorflow/tfjs-layers';
import { useBackend } from '@seqzoo/backend';
import * as tf from '@tensorflow/tfjs-core';
import { GRU, LSTM } from '../src/index';

const [backend = 'wasm', cell = 'lstm', size = 'M'] = process.argv.slice(2);
await useBackend(backend as 'cpu' | 'wasm');
const [B, T, F, H] = size === 'S' ? [32, 32, 64, 128] : [64, 64, 128, 256];
const layer = new (cell === 'gru' ? GRU : LSTM)({ inputSize: F, hiddenSize: H, seed: 1 });
const x = tf.randomNormal([B, T, F]);

async function profile(label: string, f: () => tf.Tensor) {
  f().dispose();
  const t0 = performance.now();
  const info = await tf.profile(() => {
    f().dataSync();
  });
  const wall = performance.now() - t0;
  const by = new Map<string, { ms: number; n: number }>();
  for (const k of info.kernels) {
    const e = by.get(k.name) ?? { ms: 0, n: 0 };
    e.ms += k.kernelTimeMs as number;
    e.n++;
    by.set(k.name, e);
  }
  const rows = [...by].sort((a, b) => b[1].ms - a[1].ms);
  const total = rows.reduce((s, [, e]) => s + e.ms, 0);
  console.log(`${label}: wall ${wall.toFixed(0)} ms (profiled), kernels ${total.toFixed(0)} ms`);
  for (const [name, e] of rows.slice(0, 14))
    console.log(`  ${name.padEnd(16)} ${e.ms.toFixed(1).padStart(8)} ms  ×${e.n}`);
}
await profile('infer', () => layer.forward(x).output);
await profile('train', () => {
  const { value, grads } = tf.variableGrads(
    () => tf.mean(tf.square(layer.forward(x).output)) as tf.Scalar,
    layer.parameters(),
  );
  tf.dispose(Object.values(grads));
  return value;
});
