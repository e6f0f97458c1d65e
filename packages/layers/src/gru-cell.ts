import * as tf from '@tensorflow/tfjs-core';
import { fastTanh } from './fast-ops';
import type { FusedBackward, FusedCellMath, FusedForward } from './fused-recurrence';
import { HiddenStateCell, type RecurrentCellOptions } from './recurrent-cell';

export interface GRUCellOptions extends RecurrentCellOptions {
  /**
   * true (default; PyTorch, Keras 3, cuDNN): the reset gate multiplies `h·W_hn + b_hn`.
   * false (the original GRU, Keras 1/2 `reset_after=False`): it multiplies h before the matmul.
   */
  resetAfter?: boolean;
}

/**
 * The GRU's fused step (reset after): gates `r, z, n`;
 * `r, z = σ(xp_rz + hp_rz)`, `n = tanh(xp_n + r·hp_n)`, `h' = n + z·(h − n)`.
 */
export const gruMath: FusedCellMath = {
  gates: 3,
  states: 1,
  shared: false,
  forward(xp, hp, [h]): FusedForward {
    const H = h.shape[1] as number;
    const [xrz, xn] = tf.split(xp, [2 * H, H], 1) as tf.Tensor2D[];
    const [hrz, hn] = tf.split(hp, [2 * H, H], 1) as tf.Tensor2D[];
    const rz = tf.sigmoid(tf.add(xrz, hrz));
    const [r, z] = tf.split(rz, 2, 1) as tf.Tensor2D[];
    const n = fastTanh(tf.add(xn, tf.mul(r, hn)));
    const h2 = tf.add(n, tf.mul(z, tf.sub(h, n))) as tf.Tensor2D;
    return { state: [h2], saved: [rz, r, z, n, hn] };
  },
  backward([dh], [rz, r, z, n, hn], [h]): FusedBackward {
    const dnPre = tf.mul(tf.mul(dh, tf.sub(1, z)), tf.sub(1, tf.square(n)));
    const dzRaw = tf.mul(dh, tf.sub(h, n));
    const drRaw = tf.mul(dnPre, hn);
    const drz = tf.mul(tf.concat([drRaw, dzRaw], 1), tf.mul(rz, tf.sub(1, rz)));
    return {
      dXp: tf.concat([drz, dnPre], 1) as tf.Tensor2D,
      dHp: tf.concat([drz, tf.mul(dnPre, r)], 1) as tf.Tensor2D,
      dPrev: [tf.mul(dh, z) as tf.Tensor2D],
    };
  },
};

/**
 * One GRU step (PyTorch's equations, gate order r, z, n):
 * `r = σ(x·W_ir + b_ir + h·W_hr + b_hr)`, `z = σ(x·W_iz + b_iz + h·W_hz + b_hz)`,
 * `n = tanh(x·W_in + b_in + r·(h·W_hn + b_hn))` (reset after; or `(r·h)·W_hn + b_hn` inside
 * with `resetAfter: false`), `h' = (1 − z)·n + z·h`.
 */
export class GRUCell extends HiddenStateCell {
  readonly resetAfter: boolean;
  /** The fused path covers resetAfter: true; the original variant runs the plain path. */
  readonly math: FusedCellMath | null;

  constructor(options: GRUCellOptions) {
    super(options, 3);
    this.resetAfter = options.resetAfter ?? true;
    this.math = this.resetAfter ? gruMath : null;
  }

  stepState(x: tf.Tensor2D, [h]: tf.Tensor2D[]): tf.Tensor2D[] {
    this.checkStep(x, [h]);
    const H = this.hiddenSize;
    let xp: tf.Tensor = tf.matMul(x, this.weightIh as tf.Tensor2D);
    if (this.biasIh) xp = tf.add(xp, this.biasIh);
    const [xr, xz, xn] = tf.split(xp, 3, 1);
    const [wHrz, wHn] = tf.split(this.weightHh, [2 * H, H], 1) as tf.Tensor2D[];
    const [bHrz, bHn] = this.biasHh ? tf.split(this.biasHh, [2 * H, H]) : [null, null];
    let hrz: tf.Tensor = tf.matMul(h, wHrz);
    if (bHrz) hrz = tf.add(hrz, bHrz);
    const [hr, hz] = tf.split(hrz, 2, 1);
    const r = tf.sigmoid(tf.add(xr, hr));
    const z = tf.sigmoid(tf.add(xz, hz));
    let hn: tf.Tensor;
    if (this.resetAfter) {
      hn = tf.matMul(h, wHn);
      if (bHn) hn = tf.add(hn, bHn);
      hn = tf.mul(r, hn);
    } else {
      hn = tf.matMul(tf.mul(r, h) as tf.Tensor2D, wHn);
      if (bHn) hn = tf.add(hn, bHn);
    }
    const n = tf.tanh(tf.add(xn, hn));
    return [tf.add(tf.mul(tf.sub(1, z), n), tf.mul(z, h)) as tf.Tensor2D];
  }
}
