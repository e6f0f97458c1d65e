import type { TensorInfo } from '@tensorflow/tfjs-core';
import { transposeMaybeCached } from './transpose-cache';
import type { Kernel, KernelArgs, WasmBackend } from './wasm-backend';

/**
 * _FusedMatMul (matMul + bias + activation, used by tfjs-layers' Dense and RNN cells) has the same
 * cliff as BatchMatMul when a transpose flag is set: the transposes are materialised with the
 * Transpose kernel and the stock kernel runs without flags. Batched products are left to it.
 */
export function makeFusedMatMul(stock: Kernel, transpose: Kernel): Kernel {
  return (args: KernelArgs) => {
    const { a, b } = args.inputs;
    const attrs = args.attrs as { transposeA: boolean; transposeB: boolean };
    const backend = args.backend as WasmBackend;
    if ((!attrs.transposeA && !attrs.transposeB) || a.dtype !== 'float32' || b.dtype !== 'float32')
      return stock(args);
    const temps: TensorInfo[] = [];
    const swap = (x: TensorInfo) => {
      const r = x.shape.length;
      const perm = [...Array(r - 2).keys(), r - 1, r - 2];
      const { out, owned } = transposeMaybeCached(x, perm, backend, transpose);
      if (owned) temps.push(out);
      return out;
    };
    try {
      const inputs = {
        ...args.inputs,
        a: attrs.transposeA ? swap(a) : a,
        b: attrs.transposeB ? swap(b) : b,
      };
      return stock({ ...args, inputs, attrs: { ...attrs, transposeA: false, transposeB: false } });
    } finally {
      for (const t of temps) backend.disposeData(t.dataId);
    }
  };
}
