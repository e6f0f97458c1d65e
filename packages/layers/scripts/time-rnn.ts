// Quick timing of the layers on one backend (not the official benchmark, which is bench/):
//   node --conditions=@seqzoo/source --import tsx scripts/time-rnn.ts [cpu|wasm] [lstm|gru|rnn] [S|M] [runs]
// STOCK_KERNELS=1 leaves tfjs' kernels untouched (useBackend's { kernels: false }).
// Plain Node has no tfjs-core gradients: tfjs-layers' Node bundle registers them on the core.
import '@tensorflow/tfjs-layers';
import { useBackend } from '@seqzoo/backend';
import * as tf from '@tensorflow/tfjs-core';
import { GRU, LSTM, RNN } from '../src/index';

const [backend = 'wasm', cell = 'lstm', size = 'M', runsArg = '5'] = process.argv.slice(2);
await useBackend(backend as 'cpu' | 'wasm', { kernels: process.env.STOCK_KERNELS !== '1' });
console.log(
  `kernels: ${process.env.STOCK_KERNELS === '1' ? 'stock tfjs' : "@seqzoo/backend's overrides"}`,
);
const [B, T, F, H] = size === 'S' ? [32, 32, 64, 128] : [64, 64, 128, 256];
const Ctor = cell === 'gru' ? GRU : cell === 'rnn' ? RNN : LSTM;
const G = cell === 'gru' ? 3 : cell === 'rnn' ? 1 : 4;
const layer = new Ctor({ inputSize: F, hiddenSize: H, seed: 1 });
const x = tf.randomNormal([B, T, F]);
const optimizer = tf.train.adam(1e-3);
const fwdFlops = 2 * B * T * (F + H) * G * H;

function median(a: number[]) {
  const s = [...a].sort((p, q) => p - q);
  return s[Math.floor(s.length / 2)];
}
async function time(label: string, flops: number, f: () => void, runs: number) {
  f();
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    f();
    ms.push(performance.now() - t0);
  }
  const m = median(ms);
  console.log(
    `${backend} ${cell} ${size} ${label}: median ${m.toFixed(1)} ms, min ${Math.min(...ms).toFixed(1)} ms, ${(flops / m / 1e6).toFixed(2)} GFLOP/s`,
  );
}
const runs = Number(runsArg);
{
  // The ceiling: this backend's 1024³ matMul, measured in the same process.
  const a = tf.randomNormal([1024, 1024]) as tf.Tensor2D;
  const b = tf.randomNormal([1024, 1024]) as tf.Tensor2D;
  await time('matMul 1024³ (ceiling)', 2 * 1024 ** 3, () => tf.matMul(a, b).dataSync(), 3);
  tf.dispose([a, b]);
}
const before = tf.memory().numTensors;
await time(
  'infer',
  fwdFlops,
  () => {
    const { output, state } = layer.forward(x);
    output.dataSync();
    tf.dispose([output, ...Object.values(state)]);
  },
  runs,
);
await time(
  'train',
  3 * fwdFlops,
  () => {
    const cost = optimizer.minimize(
      () => tf.mean(tf.square(layer.forward(x).output)) as tf.Scalar,
      true,
      layer.parameters(),
    );
    cost!.dataSync();
    cost!.dispose();
  },
  runs,
);
if (cell === 'lstm') {
  const gen = new LSTM({ inputSize: H, hiddenSize: H, numLayers: 2, seed: 2 }).eval();
  const stepper = gen.createStepper();
  const token = tf.randomNormal([1, H]);
  await time(
    'generate step (2×256, B1)',
    0,
    () => {
      for (let i = 0; i < 100; i++) stepper.step(token).dispose();
      stepper.state!.h.dataSync();
    },
    3,
  );
  console.log('  (the generate line is for 100 tokens)');
  stepper.dispose();
  token.dispose();
  gen.dispose();
}
console.log('tensors leaked by the timing loop:', tf.memory().numTensors - before);
