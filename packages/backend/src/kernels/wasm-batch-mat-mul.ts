import { broadcast_util, type TensorInfo } from '@tensorflow/tfjs-core';
import { transposeMaybeCached } from './transpose-cache';
import { type Kernel, type KernelArgs, sizeOf, type WasmBackend, withShape } from './wasm-backend';

/** Below this m·k·n the stock scalar loop beats transposing plus XNNPACK's set-up (measured). */
const TINY = 4096;
/** Below this m·k·n per pair, one XNNPACK call per pair costs more than the stock loop (measured). */
const PER_PAIR_MIN = 65536;

interface MatMulAttrs {
  transposeA: boolean;
  transposeB: boolean;
}

/** Perm that swaps the two innermost dimensions and keeps the batch dimensions in place. */
function swapLastTwo(rank: number, first: number[] = []): number[] {
  const perm = [...first];
  for (let i = perm.length; i < rank - 2; i++) perm.push(i);
  return [...perm, rank - 1, rank - 2];
}

/**
 * BatchMatMul without cliffs. tfjs-backend-wasm 4.22 sends a product to XNNPACK (~20 GFLOP/s) only
 * when neither operand is transposed and there is a single matrix pair; with `transposeA`/
 * `transposeB` (which tfjs-core's matMul gradient always sets) or a batch it runs a scalar loop at
 * ~1 GFLOP/s. Here transposes are materialised with the (fast) Transpose kernel and the product is
 * handed to the stock kernel as untransposed single matrices:
 * - one batch on either side: the other side's batch is folded into the rows (or columns) of one
 *   big product;
 * - equal batches: one product per matrix pair, copied in and out of the heap (O(size) copies
 *   around O(size^1.5) work).
 * Anything else (non-float32, broadcasting over several batch dims) goes to the stock kernel.
 */
export function makeBatchMatMul(stock: Kernel, transpose: Kernel): Kernel {
  return (args: KernelArgs) => {
    const { a, b } = args.inputs;
    const { transposeA, transposeB } = args.attrs as unknown as MatMulAttrs;
    const backend = args.backend as WasmBackend;
    if (a.dtype !== 'float32' || b.dtype !== 'float32' || a.shape.length < 2 || b.shape.length < 2)
      return stock(args);
    const ra = a.shape.length;
    const rb = b.shape.length;
    const batchA = sizeOf(a.shape.slice(0, -2));
    const batchB = sizeOf(b.shape.slice(0, -2));
    const m = transposeA ? a.shape[ra - 1] : a.shape[ra - 2];
    const k = transposeA ? a.shape[ra - 2] : a.shape[ra - 1];
    const kb = transposeB ? b.shape[rb - 1] : b.shape[rb - 2];
    const n = transposeB ? b.shape[rb - 2] : b.shape[rb - 1];
    const single = batchA === 1 && batchB === 1;
    const sameBatch = batchA === batchB || batchA === 1 || batchB === 1;
    const work = m * n * k;
    const pairs = batchA > 1 && batchB > 1;
    if (!sameBatch || k !== kb || work < TINY || (pairs && work < PER_PAIR_MIN)) return stock(args);
    if (single && !transposeA && !transposeB) return stock(args);
    const outShape = [
      ...broadcast_util.assertAndGetBroadcastShape(a.shape.slice(0, -2), b.shape.slice(0, -2)),
      m,
      n,
    ];

    const temps: TensorInfo[] = [];
    const keep = (t: TensorInfo) => {
      temps.push(t);
      return t;
    };
    const swap = (x: TensorInfo, perm: number[]) => {
      const { out, owned } = transposeMaybeCached(x, perm, backend, transpose);
      return owned ? keep(out) : out;
    };
    const product = (x: TensorInfo, y: TensorInfo) =>
      stock({
        inputs: { a: x, b: y },
        backend,
        attrs: { transposeA: false, transposeB: false },
      }) as TensorInfo;
    try {
      // Plain row-major operands: aa is [batchA, m, k], bb is [batchB, k, n] (as flat data).
      const aa = transposeA ? swap(a, swapLastTwo(ra)) : a;
      const bb = transposeB ? swap(b, swapLastTwo(rb)) : b;
      let out: TensorInfo;
      if (batchB === 1) {
        out = product(withShape(aa, [batchA * m, k]), withShape(bb, [k, n]));
      } else if (batchA === 1) {
        // a · [b_1 … b_B] side by side: b as [k, B·n], then the result [m, B, n] back to [B, m, n].
        const wide = swap(withShape(bb, [batchB, k, n]), [1, 0, 2]);
        const c = keep(product(withShape(aa, [m, k]), withShape(wide, [k, batchB * n])));
        out = transpose({
          inputs: { x: withShape(c, [m, batchB, n]) },
          backend,
          attrs: { perm: [1, 0, 2] },
        }) as TensorInfo;
      } else {
        out = perPair(backend, aa, bb, batchA, m, k, n, product);
      }
      return { dataId: out.dataId, shape: outShape, dtype: out.dtype };
    } finally {
      for (const t of temps) backend.disposeData(t.dataId);
    }
  };
}

/** Equal batches: each pair copied to its own heap tensor and multiplied by the stock (XNNPACK) path. */
function perPair(
  backend: WasmBackend,
  aa: TensorInfo,
  bb: TensorInfo,
  batch: number,
  m: number,
  k: number,
  n: number,
  product: (x: TensorInfo, y: TensorInfo) => TensorInfo,
): TensorInfo {
  const out = backend.makeOutput([batch, m, n], 'float32');
  const aFull = withShape(aa, [batch * m * k]);
  const bFull = withShape(bb, [batch * k * n]);
  for (let i = 0; i < batch; i++) {
    const ai = backend.makeOutput([m, k], 'float32');
    const bi = backend.makeOutput([k, n], 'float32');
    // Fresh views after every allocation: growing the heap detaches the old ones.
    backend
      .typedArrayFromHeap(ai)
      .set(backend.typedArrayFromHeap(aFull).subarray(i * m * k, (i + 1) * m * k));
    backend
      .typedArrayFromHeap(bi)
      .set(backend.typedArrayFromHeap(bFull).subarray(i * k * n, (i + 1) * k * n));
    const ci = product(ai, bi);
    backend
      .typedArrayFromHeap(withShape(out, [batch * m * n]))
      .set(backend.typedArrayFromHeap(ci), i * m * n);
    for (const t of [ai, bi, ci]) backend.disposeData(t.dataId);
  }
  return out;
}
