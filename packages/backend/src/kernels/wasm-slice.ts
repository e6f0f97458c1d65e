import { backend_util, slice_util, type TensorInfo, util } from '@tensorflow/tfjs-core';
import { type Kernel, type KernelArgs, sizeOf, type WasmBackend } from './wasm-backend';

/**
 * Copies the box `begin`…`begin + size` of a row-major tensor of shape `shape` out of `src` into
 * `dst`, a contiguous run at a time (the trailing dimensions taken whole are merged into one run).
 */
export function copyBox(
  src: Float32Array | Int32Array | Uint8Array,
  shape: readonly number[],
  begin: readonly number[],
  size: readonly number[],
  dst: Float32Array | Int32Array | Uint8Array,
): void {
  const rank = shape.length;
  if (rank === 0) {
    dst[0] = src[0];
    return;
  }
  const strides = new Array<number>(rank);
  strides[rank - 1] = 1;
  for (let d = rank - 2; d >= 0; d--) strides[d] = strides[d + 1] * shape[d + 1];
  let k = rank - 1;
  while (k > 0 && begin[k] === 0 && size[k] === shape[k]) k--;
  const run = size[k] * strides[k];
  const outer = sizeOf(size.slice(0, k));
  const index = new Array<number>(k).fill(0);
  let out = 0;
  for (let o = 0; o < outer; o++) {
    let at = begin[k] * strides[k];
    for (let d = 0; d < k; d++) at += (begin[d] + index[d]) * strides[d];
    dst.set(src.subarray(at, at + run), out);
    out += run;
    for (let d = k - 1; d >= 0; d--) {
      if (++index[d] < size[d]) break;
      index[d] = 0;
    }
  }
}

/** Slice of `x` read through a view of the wasm heap: copies the slice only, not all of `x`. */
function sliceFromHeap(
  x: TensorInfo,
  begin: number[],
  size: number[],
  backend: WasmBackend,
): TensorInfo {
  const out = backend.makeOutput(size, x.dtype);
  if (sizeOf(size) === 0) return out;
  // Views are taken after makeOutput: an allocation may grow the heap and detach older views.
  copyBox(backend.typedArrayFromHeap(x), x.shape, begin, size, backend.typedArrayFromHeap(out));
  return out;
}

/** Slice: tfjs-backend-wasm 4.22 copies the whole input out of the heap (readSync) first. */
export function makeSlice(stock: Kernel): Kernel {
  return (args: KernelArgs) => {
    const { x } = args.inputs;
    if (x.dtype === 'string') return stock(args);
    const attrs = args.attrs as { begin: number | number[]; size?: number | number[] };
    const [begin, size] = slice_util.parseSliceParams(x, attrs.begin, attrs.size);
    return sliceFromHeap(x, begin, size, args.backend as WasmBackend);
  };
}

/** SplitV: one heap-view slice per piece (stock: a full copy of the input per piece). */
export function makeSplitV(stock: Kernel): Kernel {
  return (args: KernelArgs) => {
    const { x } = args.inputs;
    if (x.dtype === 'string') return stock(args);
    const { numOrSizeSplits, axis } = args.attrs as {
      numOrSizeSplits: number | number[];
      axis: number;
    };
    const $axis = util.parseAxisParam(axis, x.shape)[0];
    const sizes = backend_util.prepareSplitSize(x, numOrSizeSplits, $axis);
    const begin = new Array<number>(x.shape.length).fill(0);
    return sizes.map((s) => {
      const size = [...x.shape];
      size[$axis] = s;
      const piece = sliceFromHeap(x, [...begin], size, args.backend as WasmBackend);
      begin[$axis] += s;
      return piece;
    });
  };
}

/** Unpack (tf.unstack): one heap-view slice per step (stock: a full copy of the input per step). */
export function makeUnpack(stock: Kernel): Kernel {
  return (args: KernelArgs) => {
    const { value } = args.inputs;
    if (value.dtype === 'string') return stock(args);
    const rank = value.shape.length;
    let { axis } = args.attrs as { axis: number };
    if (axis < 0) axis += rank;
    const outShape = value.shape.filter((_, i) => i !== axis);
    const begin = new Array<number>(rank).fill(0);
    const size = [...value.shape];
    size[axis] = 1;
    const outs: TensorInfo[] = [];
    for (let i = 0; i < value.shape[axis]; i++) {
      begin[axis] = i;
      const piece = sliceFromHeap(value, begin, size, args.backend as WasmBackend);
      outs.push({ dataId: piece.dataId, dtype: piece.dtype, shape: outShape });
    }
    return outs;
  };
}
