import * as tf from '@tensorflow/tfjs-core';
import { makeFusedMatMul } from './fused-mat-mul';
import { clearTransposeCache } from './transpose-cache';
import { asKernelFunc, type Kernel } from './wasm-backend';
import { makeBatchMatMul } from './wasm-batch-mat-mul';
import { makeIdentity } from './wasm-identity';
import { makeSlice, makeSplitV, makeUnpack } from './wasm-slice';
import { unsortedSegmentSum } from './wasm-unsorted-segment-sum';

/** The kernels seqzoo replaces, per tfjs backend name. */
export const KERNEL_FIXES: Record<string, readonly string[]> = {
  wasm: ['BatchMatMul', '_FusedMatMul', 'Identity', 'Slice', 'SplitV', 'Unpack'],
};

/** Kernels a backend lacks that seqzoo adds (never replacing one that exists). */
export const KERNEL_ADDITIONS: Record<string, Record<string, Kernel>> = {
  wasm: { UnsortedSegmentSum: unsortedSegmentSum },
};

type Maker = (stock: Kernel, kernels: { transpose: Kernel }) => Kernel;

const MAKERS: Record<string, Maker> = {
  BatchMatMul: (stock, { transpose }) => makeBatchMatMul(stock, transpose),
  _FusedMatMul: (stock, { transpose }) => makeFusedMatMul(stock, transpose),
  Identity: (stock) => makeIdentity(stock),
  Slice: (stock) => makeSlice(stock),
  SplitV: (stock) => makeSplitV(stock),
  Unpack: (stock) => makeUnpack(stock),
};

/** The stock configs we replaced, to put back; keyed `backend/kernel`. */
const replaced = new Map<string, tf.KernelConfig>();
/** The kernels we added, keyed `backend/kernel`, to remove again. */
const added = new Set<string>();

/**
 * Replaces the kernels of `backendName` that fall off a performance cliff (see the package README)
 * with equivalent ones, through tfjs's public kernel registry: every op of the app that runs on
 * that backend uses them, tfjs-layers and other libraries included. Idempotent. Returns the kernel
 * names replaced (none for backends without fixes, or whose package is not loaded yet: call it
 * after importing the backend package; `useBackend` does).
 */
export function applyKernelFixes(backendName: string): string[] {
  const names = KERNEL_FIXES[backendName] ?? [];
  const transposeConfig = tf.getKernel('Transpose', backendName);
  if (!transposeConfig) return [];
  const transpose = transposeConfig.kernelFunc as unknown as Kernel;
  const done: string[] = [];
  for (const name of names) {
    const key = `${backendName}/${name}`;
    if (replaced.has(key)) {
      done.push(name);
      continue;
    }
    const stock = tf.getKernel(name, backendName);
    if (!stock) continue;
    const fixed = MAKERS[name](stock.kernelFunc as unknown as Kernel, { transpose });
    tf.unregisterKernel(name, backendName);
    // Keep the stock setup/dispose hooks: the stock kernel, which ours calls, needs its setup.
    tf.registerKernel({ ...stock, kernelFunc: asKernelFunc(fixed) });
    replaced.set(key, stock);
    done.push(name);
  }
  for (const [name, kernel] of Object.entries(KERNEL_ADDITIONS[backendName] ?? {})) {
    const key = `${backendName}/${name}`;
    if (!added.has(key) && !tf.getKernel(name, backendName)) {
      tf.registerKernel({ kernelName: name, backendName, kernelFunc: asKernelFunc(kernel) });
      added.add(key);
    }
    if (added.has(key)) done.push(name);
  }
  return done;
}

/** Puts the stock kernels of `backendName` back (undoes `applyKernelFixes`). Returns their names. */
export function removeKernelFixes(backendName: string): string[] {
  if (backendName === 'wasm') clearTransposeCache();
  const restored: string[] = [];
  for (const [key, stock] of replaced) {
    if (stock.backendName !== backendName) continue;
    tf.unregisterKernel(stock.kernelName, backendName);
    tf.registerKernel(stock);
    replaced.delete(key);
    restored.push(stock.kernelName);
  }
  for (const key of added) {
    const [backend, name] = key.split('/');
    if (backend !== backendName) continue;
    tf.unregisterKernel(name, backendName);
    added.delete(key);
    restored.push(name);
  }
  return restored;
}

/** The kernels of `backendName` currently replaced by seqzoo. */
export function kernelFixesApplied(backendName: string): string[] {
  return [
    ...[...replaced.values()].filter((c) => c.backendName === backendName).map((c) => c.kernelName),
    ...[...added].filter((k) => k.startsWith(`${backendName}/`)).map((k) => k.split('/')[1]),
  ];
}
