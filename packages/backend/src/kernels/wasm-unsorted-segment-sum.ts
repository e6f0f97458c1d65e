import type { TensorInfo } from '@tensorflow/tfjs-core';
import { type Kernel, type KernelArgs, sizeOf, type WasmBackend } from './wasm-backend';

/**
 * UnsortedSegmentSum, which tfjs-backend-wasm 4.22 does not have: `out[ids[i], …] += x[i, …]`
 * over the flattened ids (ids outside [0, numSegments) are dropped, as TensorFlow's CPU kernel
 * drops negative ids). Its absence breaks the gradient of `tf.gather` (embeddings, reversing
 * padded sequences) on wasm; with it, those train there as on cpu.
 */
export const unsortedSegmentSum: Kernel = (args: KernelArgs) => {
  const { x, segmentIds } = args.inputs;
  const { numSegments } = args.attrs as { numSegments: number };
  const backend = args.backend as WasmBackend;
  const rows = sizeOf(segmentIds.shape);
  const inner = x.shape.slice(segmentIds.shape.length);
  const width = sizeOf(inner);
  const out: TensorInfo = backend.makeOutput([numSegments, ...inner], x.dtype);
  // Views after makeOutput: the allocation may have grown (and detached) the heap.
  const dst = backend.typedArrayFromHeap(out);
  const src = backend.typedArrayFromHeap(x);
  const ids = backend.typedArrayFromHeap(segmentIds);
  dst.fill(0);
  for (let i = 0; i < rows; i++) {
    const id = ids[i];
    if (id < 0 || id >= numSegments) continue;
    const from = i * width;
    const to = id * width;
    for (let j = 0; j < width; j++) dst[to + j] += src[from + j];
  }
  return out;
};
