// Kernel-time profile of one benchmark step, heaviest kernels first:
//   cd bench && node --conditions=@seqzoo/source --import tsx src/rnn/profile.ts wasm seqzoo M train [on|off]
// (last argument: our kernel overrides, default on). Kernel times nest ("unnamed scope" holds a
// custom gradient's kernels), so the total double-counts; read the rows.
import './register-gradients';
import { type BackendName, useBackend } from '@seqzoo/backend';
import * as tf from '@tensorflow/tfjs-core';
import { makeCase } from './bench-case';
import type { Cell, Impl, Phase, SizeName } from './config';

const [
  backend = 'wasm',
  impl = 'seqzoo',
  size = 'M',
  phase = 'train',
  kernels = 'on',
  cell = 'lstm',
] = process.argv.slice(2);
await useBackend(backend as BackendName, { kernels: kernels !== 'off' });
const c = await makeCase(impl as Impl, cell as Cell, size as SizeName, phase as Phase);
await c.run();
const profile = await tf.profile(() => c.run());
const byKernel = new Map<string, { ms: number; calls: number }>();
for (const k of profile.kernels) {
  const ms = await k.kernelTimeMs;
  const key = `${k.name} ${JSON.stringify(k.inputShapes)}`;
  const entry = byKernel.get(key) ?? { ms: 0, calls: 0 };
  entry.ms += typeof ms === 'number' ? ms : 0;
  entry.calls++;
  byKernel.set(key, entry);
}
console.log(
  `${backend} ${impl} ${cell} ${size} ${phase}, kernels ${kernels}: ms, calls, kernel [input shapes]`,
);
for (const [key, { ms, calls }] of [...byKernel].sort((a, b) => b[1].ms - a[1].ms).slice(0, 15)) {
  console.log(`${ms.toFixed(1).padStart(9)} ${String(calls).padStart(5)}  ${key.slice(0, 110)}`);
}
c.dispose();
