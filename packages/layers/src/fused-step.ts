import * as tf from '@tensorflow/tfjs-core';
import type { RecurrentCell } from './recurrent-cell';

interface Prepared {
  wIh: tf.Tensor2D;
  wHh: tf.Tensor2D;
  xBias: tf.Tensor1D | null;
  hBias: tf.Tensor1D | null;
}

/**
 * A cell's weights prepared for single steps (gate scaling applied, LSTM/RNN biases summed),
 * kept between calls and rebuilt when a parameter changes (an `assign` gives a variable a new
 * data id). This makes a generation step two matmuls and the gate maths, nothing else.
 */
export class StepWeights {
  private ids: unknown[] = [];
  private prepared: Prepared | null = null;

  constructor(private readonly cell: RecurrentCell) {}

  get(): Prepared {
    const c = this.cell;
    const vars = [c.weightIh, c.weightHh, c.biasIh, c.biasHh];
    const ids = vars.map((v) => v?.dataId);
    if (this.prepared && ids.every((id, i) => id === this.ids[i])) return this.prepared;
    this.dispose();
    const math = c.math!;
    // Kept: get() runs inside the caller's tidy, and these live until the weights change.
    this.prepared = tf.tidy(() => {
      const H = c.hiddenSize;
      const scale = math.gateScale
        ? tf.tensor1d(math.gateScale.flatMap((g) => new Array<number>(H).fill(g)))
        : null;
      const scaled = <T extends tf.Tensor>(t: T): T =>
        scale ? (tf.mul(t, scale) as T) : tf.clone(t);
      const bIh =
        c.biasIh && c.biasHh ? (math.shared ? tf.add(c.biasIh, c.biasHh) : c.biasIh) : null;
      return {
        wIh: scaled(c.weightIh as tf.Tensor2D),
        wHh: scaled(c.weightHh as tf.Tensor2D),
        xBias: bIh ? scaled(bIh as tf.Tensor1D) : null,
        hBias: !math.shared && c.biasHh ? scaled(c.biasHh as tf.Tensor1D) : null,
      } as unknown as tf.TensorContainer;
    }) as unknown as Prepared;
    const p = this.prepared;
    for (const t of [p.wIh, p.wHh, p.xBias, p.hBias]) if (t) tf.keep(t);
    this.ids = ids;
    return this.prepared;
  }

  dispose(): void {
    if (!this.prepared) return;
    const p = this.prepared;
    tf.dispose([p.wIh, p.wHh, ...(p.xBias ? [p.xBias] : []), ...(p.hBias ? [p.hBias] : [])]);
    this.prepared = null;
  }
}

/**
 * One step of `cell` through its fused maths (inference: no tape needed), or its plain step when
 * it has none. Returns the new state list (h first). Call inside `tf.tidy`.
 */
export function fusedStep(
  cell: RecurrentCell,
  weights: StepWeights,
  x: tf.Tensor2D,
  prev: tf.Tensor2D[],
): tf.Tensor2D[] {
  if (!cell.math) return cell.stepState(x, prev);
  const w = weights.get();
  const xp = w.xBias ? tf.fused.matMul({ a: x, b: w.wIh, bias: w.xBias }) : tf.matMul(x, w.wIh);
  const hp = w.hBias
    ? tf.fused.matMul({ a: prev[0], b: w.wHh, bias: w.hBias })
    : tf.matMul(prev[0], w.wHh);
  return cell.math.forward(xp, hp, prev).state as tf.Tensor2D[];
}
