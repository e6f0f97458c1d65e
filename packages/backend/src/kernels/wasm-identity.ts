import type { TensorInfo } from '@tensorflow/tfjs-core';
import type { Kernel, KernelArgs } from './wasm-backend';

/** The reference counting of tfjs-backend-wasm's `BackendWasm` (4.22), used by its Reshape. */
interface RefCounting {
  incRef(dataId: object): void;
}

/**
 * Identity (`tf.clone`) without a copy: the output shares the input's data and counts a
 * reference, as tfjs-backend-cpu's Identity and wasm's own Reshape do. tfjs-backend-wasm 4.22
 * copies instead, and tfjs' autodiff clones every tensor it saves for the backward pass: each
 * weight matrix was copied once per time step, and the backward products then saw a fresh
 * operand each time, so XNNPACK re-packed it and the transpose cache could not know it as a
 * variable (measured on the G2P decoder: its `dz·Wᵀ` products took 2.5–3 ms against 1.45 ms).
 * Tensors are immutable (an assign gives a variable new data), so sharing is safe. Strings go
 * to the stock kernel.
 */
export function makeIdentity(stock: Kernel): Kernel {
  return (args: KernelArgs) => {
    const { x } = args.inputs;
    if (x.dtype === 'string') return stock(args);
    (args.backend as RefCounting).incRef(x.dataId);
    return { dataId: x.dataId, shape: [...x.shape], dtype: x.dtype } satisfies TensorInfo;
  };
}
