import * as tf from '@tensorflow/tfjs-core';
import { afterAll, describe, expect, it } from 'vitest';
import { useBackend } from '../use-backend';
import {
  applyKernelFixes,
  KERNEL_ADDITIONS,
  KERNEL_FIXES,
  kernelFixesApplied,
  removeKernelFixes,
} from './apply';

const kernelFunc = (name: string) => tf.getKernel(name, 'wasm')?.kernelFunc;
/** Every kernel name seqzoo touches on wasm: the replaced ones and the added ones. */
const ALL = [...KERNEL_FIXES.wasm, ...Object.keys(KERNEL_ADDITIONS.wasm)].sort();

describe('applyKernelFixes / removeKernelFixes', () => {
  afterAll(() => applyKernelFixes('wasm'));

  it("useBackend('wasm') replaces the wasm kernels with cliffs, and { kernels: false } puts tfjs' back", async () => {
    await useBackend('wasm', { kernels: false });
    expect(kernelFixesApplied('wasm')).toEqual([]);
    const stock = KERNEL_FIXES.wasm.map(kernelFunc);
    expect(stock.every((f) => typeof f === 'function')).toBe(true);

    await useBackend('wasm');
    expect(kernelFixesApplied('wasm').sort()).toEqual(ALL);
    for (const [i, name] of KERNEL_FIXES.wasm.entries())
      expect(kernelFunc(name)).not.toBe(stock[i]);

    await useBackend('wasm', { kernels: false });
    for (const [i, name] of KERNEL_FIXES.wasm.entries()) expect(kernelFunc(name)).toBe(stock[i]);
    expect(kernelFunc('UnsortedSegmentSum')).toBeUndefined();
  });

  it('is idempotent and keeps the stock setup hooks the stock kernels need', async () => {
    await useBackend('wasm', { kernels: false });
    const stockSetup = tf.getKernel('BatchMatMul', 'wasm')?.setupFunc;
    expect(applyKernelFixes('wasm').sort()).toEqual(ALL);
    const once = kernelFunc('BatchMatMul');
    applyKernelFixes('wasm');
    expect(kernelFunc('BatchMatMul')).toBe(once);
    expect(tf.getKernel('BatchMatMul', 'wasm')?.setupFunc).toBe(stockSetup);
    expect(removeKernelFixes('wasm').sort()).toEqual(ALL);
    expect(removeKernelFixes('wasm')).toEqual([]);
  });

  it('changes nothing on backends without fixes or whose package is not loaded', async () => {
    await useBackend('cpu');
    const before = tf.getKernel('BatchMatMul', 'cpu')?.kernelFunc;
    expect(applyKernelFixes('cpu')).toEqual([]);
    expect(tf.getKernel('BatchMatMul', 'cpu')?.kernelFunc).toBe(before);
    expect(applyKernelFixes('webgl')).toEqual([]);
  });
});
