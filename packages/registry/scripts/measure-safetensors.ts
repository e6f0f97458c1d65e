// Throughput of the safetensors reader/writer on a 64 MiB F32 file (16 tensors of 1 Mi floats).
// Run: node --conditions=@seqzoo/source --import tsx packages/registry/scripts/measure-safetensors.ts
import { decodeTensor, encodeSafetensors, parseSafetensors } from '../src/safetensors';

const tensors = new Map<string, { dtype: 'float32'; shape: number[]; values: Float32Array }>();
for (let i = 0; i < 16; i++) {
  const values = new Float32Array(1 << 20).map((_, k) => Math.sin(k + i));
  tensors.set(`layer${i}.weight`, { dtype: 'float32', shape: [1024, 1024], values });
}
const time = (label: string, fn: () => unknown, mb: number) => {
  fn(); // warm up
  const runs = 5;
  const t0 = performance.now();
  for (let r = 0; r < runs; r++) fn();
  const ms = (performance.now() - t0) / runs;
  console.log(
    `${label.padEnd(34)} ${ms.toFixed(2).padStart(8)} ms  ${((mb / ms) * 1000).toFixed(0).padStart(6)} MB/s`,
  );
};
const file = encodeSafetensors(tensors);
const mb = file.byteLength / 2 ** 20;
console.log(`file: ${mb.toFixed(1)} MiB, ${tensors.size} tensors`);
time('encode (write)', () => encodeSafetensors(tensors), mb);
time('parse + validate (header, offsets)', () => parseSafetensors(file), mb);
time(
  'parse + validate + decode to f32',
  () => {
    for (const [n, raw] of parseSafetensors(file).tensors) decodeTensor(n, raw);
  },
  mb,
);
