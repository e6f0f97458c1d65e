import type { TensorInfo } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import type { Kernel, WasmBackend } from './wasm-backend';

interface Entry {
  source: object;
  perm: string;
  out: TensorInfo;
  backend: WasmBackend;
}

/** At most this many transposed variables are kept (the oldest goes first). */
const LIMIT = 16;
const entries: Entry[] = [];

/** The dataIds that variables hold now (a variable gets a new dataId on every assign). */
export function variableData(): Set<object> {
  const vars = (
    tf.engine().state as unknown as { registeredVariables: Record<string, tf.Variable> }
  ).registeredVariables;
  const ids = new Set<object>();
  for (const name in vars) ids.add(vars[name].dataId);
  return ids;
}

function drop(index: number): void {
  const [e] = entries.splice(index, 1);
  e.backend.disposeData(e.out.dataId);
}

/**
 * Transposes `x` with the stock kernel. When `x` is a variable's current value (a weight matrix
 * multiplied with a transpose flag at every time step of a backward pass, say), the result is kept
 * and reused until the variable is assigned or disposed: XNNPACK then also reuses its packed
 * weights for it, which costs more than the product itself at RNN sizes. Returns the transposed
 * tensor and whether the caller owns it (must dispose it).
 */
export function transposeMaybeCached(
  x: TensorInfo,
  perm: number[],
  backend: WasmBackend,
  transpose: Kernel,
): { out: TensorInfo; owned: boolean } {
  const live = variableData();
  for (let i = entries.length - 1; i >= 0; i--) if (!live.has(entries[i].source)) drop(i);
  const compute = () => transpose({ inputs: { x }, backend, attrs: { perm } }) as TensorInfo;
  if (!live.has(x.dataId)) return { out: compute(), owned: true };
  // Reshapes share a dataId: the key holds the shape too.
  const key = `${x.shape.join('x')}/${perm.join(',')}`;
  const hit = entries.find((e) => e.source === x.dataId && e.perm === key && e.backend === backend);
  if (hit) return { out: hit.out, owned: false };
  const out = compute();
  entries.push({ source: x.dataId, perm: key, out, backend });
  if (entries.length > LIMIT) drop(0);
  return { out, owned: false };
}

/** Frees every cached transpose (removeKernelFixes calls it). Returns how many were freed. */
export function clearTransposeCache(): number {
  const n = entries.length;
  while (entries.length) drop(entries.length - 1);
  return n;
}

/** How many transposed variables are cached now. */
export function cachedTransposes(): number {
  return entries.length;
}
