import type { DataType, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';

/**
 * The parts of tfjs-backend-wasm's `BackendWasm` (4.22) that the kernel overrides use. Typed here,
 * not imported, because the wasm package is an optional peer: nothing of it is loaded until asked.
 */
export interface WasmBackend {
  /** Allocates a tensor on the wasm heap (moves `HEAPU8.buffer` when the heap grows). */
  makeOutput(shape: number[], dtype: DataType): TensorInfo;
  /** A view of a tensor's bytes on the wasm heap: no copy. Stale once the heap grows. */
  typedArrayFromHeap(info: TensorInfo): Float32Array | Int32Array | Uint8Array;
  disposeData(dataId: object, force?: boolean): boolean;
}

/** The arguments tfjs passes to a kernel function. */
export interface KernelArgs {
  inputs: Record<string, TensorInfo>;
  backend: unknown;
  attrs?: Record<string, unknown>;
}

export type Kernel = (args: KernelArgs) => TensorInfo | TensorInfo[];

export const asKernelFunc = (k: Kernel): KernelFunc => k as unknown as KernelFunc;

/** A TensorInfo over the same data with another shape of the same size (no ref counting: never dispose it). */
export function withShape(info: TensorInfo, shape: number[]): TensorInfo {
  return { dataId: info.dataId, shape, dtype: info.dtype };
}

export function sizeOf(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}
