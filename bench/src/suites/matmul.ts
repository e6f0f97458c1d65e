import { type BackendName, useBackend } from '@seqzoo/backend';
import * as tf from '@tensorflow/tfjs-core';
import type { Suite } from '../main';
import { parseFlags, timeMedian, writeResults } from '../util';

/** The backend's matMul ceiling: GFLOP/s of an n×n by n×n product, the yardstick of every other suite. */
export async function matmulGflops(
  n = 1024,
  runs = 5,
): Promise<{ medianMs: number; minMs: number; gflops: number }> {
  const a = tf.randomNormal([n, n]);
  const b = tf.randomNormal([n, n]);
  const { medianMs, minMs } = await timeMedian(runs, async () => {
    const c = tf.matMul(a, b);
    await c.data();
    c.dispose();
  });
  tf.dispose([a, b]);
  return { medianMs, minMs, gflops: (2 * n ** 3) / (medianMs * 1e6) };
}

const suite: Suite = {
  describe: 'n×n matMul GFLOP/s per backend (--backend cpu,wasm --n 1024 --runs 5)',
  async run(argv) {
    const flags = parseFlags(argv, { backend: 'cpu,wasm', n: '1024', runs: '5' });
    const rows = [];
    for (const backend of flags.backend.split(',')) {
      await useBackend(backend as BackendName);
      const r = await matmulGflops(Number(flags.n), Number(flags.runs));
      rows.push({ impl: 'matmul', backend, n: Number(flags.n), ...r });
      console.log(
        `${backend.padEnd(8)} ${flags.n}³ matMul  median ${r.medianMs.toFixed(1)} ms  ${r.gflops.toFixed(1)} GFLOP/s`,
      );
    }
    writeResults('matmul', rows);
  },
};
export default suite;
