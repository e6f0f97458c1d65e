import * as tf from '@tensorflow/tfjs-core';
import { LayerConfigError } from './errors';
import { fastTanh } from './fast-ops';
import type { FusedBackward, FusedCellMath, FusedForward } from './fused-recurrence';
import { HiddenStateCell, type RecurrentCellOptions } from './recurrent-cell';

/** The nonlinearity of `SimpleRNNCell`. */
export type RNNNonlinearity = 'tanh' | 'relu';

export interface SimpleRNNCellOptions extends RecurrentCellOptions {
  /** Default 'tanh'. */
  nonlinearity?: RNNNonlinearity;
}

function rnnMath(nonlinearity: RNNNonlinearity): FusedCellMath {
  const tanh = nonlinearity === 'tanh';
  return {
    gates: 1,
    states: 1,
    shared: true,
    forward(xp, hp): FusedForward {
      const pre = tf.add(xp, hp);
      const h = (tanh ? fastTanh(pre) : tf.relu(pre)) as tf.Tensor2D;
      return { state: [h], saved: [h] };
    },
    backward([dh], [h]): FusedBackward {
      const dz = tf.mul(dh, tanh ? tf.sub(1, tf.square(h)) : tf.step(h)) as tf.Tensor2D;
      return { dXp: dz, dHp: dz, dPrev: [null] };
    },
  };
}

/** One Elman RNN step: `h' = act(x·W_ih + b_ih + h·W_hh + b_hh)`, act tanh or relu. */
export class SimpleRNNCell extends HiddenStateCell {
  readonly nonlinearity: RNNNonlinearity;
  readonly math: FusedCellMath;

  constructor(options: SimpleRNNCellOptions) {
    super(options, 1);
    const nonlinearity = options.nonlinearity ?? 'tanh';
    if (nonlinearity !== 'tanh' && nonlinearity !== 'relu') {
      throw new LayerConfigError(
        'nonlinearity',
        `expected 'tanh' or 'relu', got '${String(nonlinearity)}'.`,
      );
    }
    this.nonlinearity = nonlinearity;
    this.math = rnnMath(nonlinearity);
  }

  stepState(x: tf.Tensor2D, [h]: tf.Tensor2D[]): tf.Tensor2D[] {
    this.checkStep(x, [h]);
    let pre = tf.add(
      tf.matMul(x, this.weightIh as tf.Tensor2D),
      tf.matMul(h, this.weightHh as tf.Tensor2D),
    );
    if (this.biasIh && this.biasHh) pre = tf.add(pre, tf.add(this.biasIh, this.biasHh));
    return [(this.nonlinearity === 'tanh' ? tf.tanh(pre) : tf.relu(pre)) as tf.Tensor2D];
  }
}
