import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { describe, expect, it } from 'vitest';
import { expectNoLeaks } from '../testing';
import { useBackend } from '../use-backend';

/** Runs `f` on cpu and on wasm (with seqzoo's kernels) and returns both results as arrays. */
async function onCpuAndWasm(f: () => tf.Tensor): Promise<[number[], number[]]> {
  const out: number[][] = [];
  for (const name of ['cpu', 'wasm'] as const) {
    await useBackend(name);
    out.push(await expectNoLeaks(() => tf.tidy(() => Array.from(f().dataSync()))));
  }
  return [out[0], out[1]];
}

const values = (n: number) => Array.from({ length: n }, (_, i) => Math.sin(i * 0.7) * 3);

describe('UnsortedSegmentSum on wasm (added: tfjs-backend-wasm has none)', () => {
  it('sums rows into segments exactly as the cpu kernel, float32 and int32, ids repeated and unused', async () => {
    const [cpu, wasm] = await onCpuAndWasm(() =>
      tf.unsortedSegmentSum(
        tf.tensor2d(values(6 * 5), [6, 5]),
        tf.tensor1d([3, 0, 3, 1, 0, 3], 'int32'),
        5,
      ),
    );
    expect(wasm).toEqual(cpu);
    const [cpuI, wasmI] = await onCpuAndWasm(() =>
      tf.unsortedSegmentSum(
        tf.tensor1d([1, 2, 3, 4], 'int32'),
        tf.tensor1d([1, 1, 0, 2], 'int32'),
        4,
      ),
    );
    expect(wasmI).toEqual([3, 3, 4, 0]);
    expect(wasmI).toEqual(cpuI);
  });

  it('makes the gradient of tf.gather (embeddings, reversals) work on wasm, equal to cpu', async () => {
    const table = tf.tensor2d(values(7 * 4), [7, 4]);
    const ids = tf.tensor2d(
      [
        [1, 6, 1],
        [0, 1, 3],
      ],
      [2, 3],
      'int32',
    );
    const weights = tf.tensor3d(values(2 * 3 * 4), [2, 3, 4]);
    const grad = () => tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.gather(t, ids), weights)))(table);
    const [cpu, wasm] = await onCpuAndWasm(grad);
    wasm.forEach((v, i) => {
      expect(Math.abs(v - cpu[i])).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(cpu[i])));
    });
    // Row 1 is gathered three times, row 2 never: the gradient says so.
    expect(cpu.slice(2 * 4, 3 * 4)).toEqual([0, 0, 0, 0]);
    tf.dispose([table, ids, weights]);
  });

  it('is not there with { kernels: false }: stock wasm cannot differentiate gather', async () => {
    await useBackend('wasm', { kernels: false });
    const t = tf.ones([3, 2]);
    expect(() => tf.grad((x: tf.Tensor) => tf.sum(tf.gather(x, [0, 2])))(t)).toThrow(
      /UnsortedSegmentSum/,
    );
    t.dispose();
    await useBackend('wasm');
  });
});
