import * as tf from '@tensorflow/tfjs-core';
import { fastTanh } from './fast-ops';
import type { FusedBackward, FusedCellMath, FusedForward } from './fused-recurrence';
import type { Initializer } from './initializers';
import { RecurrentCell, type RecurrentCellOptions, withForgetBias } from './recurrent-cell';

export interface LSTMCellOptions extends RecurrentCellOptions {
  /** Add 1 to the forget gate's bias at initialisation (Keras; default true with init 'keras'). */
  unitForgetBias?: boolean;
}

export interface LSTMState {
  h: tf.Tensor2D;
  c: tf.Tensor2D;
}

/**
 * The LSTM's fused step: gates `i, f, g, o` in one `[B, 4H]` pre-activation, and the derivative
 * of `c' = σ(f)·c + σ(i)·tanh(g)`, `h' = σ(o)·tanh(c')`.
 */
export const lstmMath: FusedCellMath = {
  gates: 4,
  states: 2,
  shared: true,
  forward(xp, hp, [, c]): FusedForward {
    const [zi, zf, zg, zo] = tf.split(tf.add(xp, hp), 4, 1) as tf.Tensor2D[];
    const i = tf.sigmoid(zi);
    const f = tf.sigmoid(zf);
    const g = fastTanh(zg);
    const o = tf.sigmoid(zo);
    const c2 = tf.add(tf.mul(f, c), tf.mul(i, g));
    const tc = fastTanh(c2);
    return { state: [tf.mul(o, tc), c2], saved: [i, f, g, o, tc] };
  },
  backward([dh, dc], [i, f, g, o, tc], [, cPrev]): FusedBackward {
    const dcTotal = tf.add(dc, tf.mul(tf.mul(dh, o), tf.sub(1, tf.square(tc))));
    const sigmoidGrad = (d: tf.Tensor, s: tf.Tensor) => tf.mul(d, tf.mul(s, tf.sub(1, s)));
    const dz = tf.concat(
      [
        sigmoidGrad(tf.mul(dcTotal, g), i),
        sigmoidGrad(tf.mul(dcTotal, cPrev), f),
        tf.mul(tf.mul(dcTotal, i), tf.sub(1, tf.square(g))),
        sigmoidGrad(tf.mul(dh, tc), o),
      ],
      1,
    ) as tf.Tensor2D;
    return { dXp: dz, dHp: dz, dPrev: [null, tf.mul(dcTotal, f)] };
  },
};

/**
 * One LSTM step (PyTorch's equations, gate order i, f, g, o):
 * `i, f, g, o = σ, σ, tanh, σ (x·W_ih + b_ih + h·W_hh + b_hh)`, `c' = f·c + i·g`,
 * `h' = o·tanh(c')`.
 */
export class LSTMCell extends RecurrentCell {
  readonly stateSize = 2;
  readonly math = lstmMath;

  constructor(options: LSTMCellOptions) {
    super(options, 4);
  }

  protected override adjustBiasIh(init: Initializer, options: LSTMCellOptions): Initializer {
    const unitForgetBias = options.unitForgetBias ?? (options.init ?? 'keras') === 'keras';
    return unitForgetBias ? withForgetBias(init, options.hiddenSize) : init;
  }

  /** One step: returns the output (h) and the new state. */
  step(x: tf.Tensor2D, state?: LSTMState): { output: tf.Tensor2D; state: LSTMState } {
    const s = state ? [state.h, state.c] : this.zeroState(x.shape[0]);
    const [h, c] = tf.tidy(() => this.stepState(x, s));
    if (!state) tf.dispose(s);
    return { output: h, state: { h, c } };
  }

  zeroState(batch: number): tf.Tensor2D[] {
    return [tf.zeros([batch, this.hiddenSize]), tf.zeros([batch, this.hiddenSize])];
  }

  stepState(x: tf.Tensor2D, [h, c]: tf.Tensor2D[]): tf.Tensor2D[] {
    this.checkStep(x, [h, c]);
    let z = tf.add(
      tf.matMul(x, this.weightIh as tf.Tensor2D),
      tf.matMul(h, this.weightHh as tf.Tensor2D),
    );
    if (this.biasIh && this.biasHh) z = tf.add(z, tf.add(this.biasIh, this.biasHh));
    const [i, f, g, o] = tf.split(z, 4, 1);
    const c2 = tf.add(tf.mul(tf.sigmoid(f), c), tf.mul(tf.sigmoid(i), tf.tanh(g)));
    const h2 = tf.mul(tf.sigmoid(o), tf.tanh(c2));
    return [h2 as tf.Tensor2D, c2 as tf.Tensor2D];
  }
}
