import * as tf from '@tensorflow/tfjs-core';
import { fastTanh } from './fast-ops';
import type { FusedBackward, FusedCellMath, FusedForward } from './fused-recurrence';
import type { Initializer } from './initializers';
import { RecurrentCell, type RecurrentCellOptions, withForgetBias } from './recurrent-cell';

export interface LSTMCellOptions extends RecurrentCellOptions {
  /** Add 1 to the forget gate's bias at initialisation (Keras; default true with init 'keras'). */
  unitForgetBias?: boolean;
}

/** An LSTM cell's state: hidden `h` and cell `c`, each `[B, H]`. */
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
  // [scale, derivative factor]: 2 and 4 on the g gate's block, 1 elsewhere.
  constants: (hidden) => [gateVector(hidden, 2), gateVector(hidden, 4)],
  forward(xp, hp, [, c], constants): FusedForward {
    // One sigmoid over all four gates, the g gate's pre-activation doubled (exact), so that
    // g = 2σ(2z) − 1 = tanh(z).
    const scale = constants?.[0] ?? gateVector(c.shape[1] as number, 2);
    const s = tf.sigmoid(tf.mul(tf.add(xp, hp), scale));
    const [i, f, sg, o] = tf.split(s, 4, 1);
    const g = tf.sub(tf.mul(sg, 2), 1);
    const c2 = tf.add(tf.mul(f, c), tf.mul(i, g));
    const tc = fastTanh(c2);
    return { state: [tf.mul(o, tc), c2], saved: [s, i, f, g, o, tc] };
  },
  backward([dh, dc], [s, i, f, g, o, tc], [, cPrev], constants): FusedBackward {
    const dcTotal = tf.add(dc, tf.mul(tf.mul(dh, o), tf.sub(1, tf.square(tc))));
    const dActivated = tf.concat(
      [tf.mul(dcTotal, g), tf.mul(dcTotal, cPrev), tf.mul(dcTotal, i), tf.mul(dh, tc)],
      1,
    );
    // dσ/dz = s(1 − s) for i, f, o; d tanh(z)/dz = 4·s(1 − s) with s = σ(2z) for g.
    const factor = constants?.[1] ?? gateVector(dh.shape[1] as number, 4);
    const dz = tf.mul(tf.mul(dActivated, tf.mul(s, tf.sub(1, s))), factor);
    return { dXp: dz, dHp: dz, dPrev: [null, tf.mul(dcTotal, f)] };
  },
};

const gateVectors = new Map<string, Float32Array>();
/** [1…1, 1…1, v…v, 1…1], each block H long: a fresh tensor (the values are cached). */
function gateVector(hidden: number, v: number): tf.Tensor1D {
  const key = `${hidden}/${v}`;
  let values = gateVectors.get(key);
  if (!values) {
    values = new Float32Array(4 * hidden).fill(1);
    values.fill(v, 2 * hidden, 3 * hidden);
    gateVectors.set(key, values);
  }
  return tf.tensor1d(values);
}

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
