// Embedding lookup: 'gather' (gather + ScatterNd gradient) vs 'onehot' (one-hot · weight, matmul
// gradient), forward + backward, interleaved rounds in one process, as ratios:
//   node --conditions=@seqzoo/source --import tsx scripts/time-embedding.ts [cpu|wasm] [rounds]
import '@tensorflow/tfjs-layers';
import { useBackend } from '@seqzoo/backend';
import * as tf from '@tensorflow/tfjs-core';
import { Embedding } from '../src/index';

const [backend = 'wasm', roundsArg = '7'] = process.argv.slice(2);
await useBackend(backend as 'cpu' | 'wasm');
const rounds = Number(roundsArg);
const [B, T, D] = [64, 24, 64];

function median(a: number[]) {
  const s = [...a].sort((p, q) => p - q);
  return s[Math.floor(s.length / 2)];
}

console.log(
  `backend ${backend}: ids [${B}, ${T}], dim ${D}, forward + backward, median of ${rounds}`,
);
for (const V of (process.env.VOCABS ?? '40,128,512,2000,10000').split(',').map(Number)) {
  const ids = tf.randomUniformInt([B, T], 0, V, { seed: V }) as tf.Tensor2D;
  const make = (lookup: 'gather' | 'onehot') =>
    new Embedding({ numEmbeddings: V, embeddingDim: D, paddingIdx: 0, seed: 1, lookup });
  const layers = { gather: make('gather'), onehot: make('onehot') };
  const g = tf.randomNormal([B, T, D], 0, 1, 'float32', 2);
  const step = (e: Embedding) => {
    const { value, grads } = tf.variableGrads(
      () => tf.sum(tf.mul(e.forward(ids), g)) as tf.Scalar,
      [e.weight],
    );
    const grad = Object.values(grads)[0];
    grad.dataSync();
    tf.dispose([value, grad]);
  };
  const times: Record<string, number[]> = { gather: [], onehot: [] };
  for (const kind of ['gather', 'onehot'] as const) step(layers[kind]); // warm up
  for (let r = 0; r < rounds; r++) {
    for (const kind of ['gather', 'onehot'] as const) {
      const t0 = performance.now();
      for (let i = 0; i < 5; i++) step(layers[kind]);
      times[kind].push((performance.now() - t0) / 5);
    }
  }
  const gm = median(times.gather);
  const om = median(times.onehot);
  console.log(
    `V=${String(V).padStart(5)}  gather ${gm.toFixed(2)} ms  onehot ${om.toFixed(2)} ms  gather/onehot ${(gm / om).toFixed(2)}`,
  );
  tf.dispose([ids, g]);
  layers.gather.dispose();
  layers.onehot.dispose();
}
