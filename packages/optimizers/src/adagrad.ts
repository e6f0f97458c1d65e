import * as tf from '@tensorflow/tfjs-core';
import type { NamedVariables } from './named';
import { type Algorithm, GroupedOptimizer, type GroupsOption, type Optimizer } from './optimizer';
import { checkBoolean, checkRange } from './validate';

/** torch.optim.Adagrad options. */
export interface AdagradOptions {
  lr: number;
  lrDecay: number;
  weightDecay: number;
  initialAccumulatorValue: number;
  eps: number;
  maximize: boolean;
}

const algorithm: Algorithm<AdagradOptions> = {
  type: 'adagrad',
  validate(o, where) {
    checkRange(where, 'lr', o.lr, 0);
    checkRange(where, 'lrDecay', o.lrDecay, 0);
    checkRange(where, 'weightDecay', o.weightDecay, 0);
    checkRange(where, 'initialAccumulatorValue', o.initialAccumulatorValue, 0);
    checkRange(where, 'eps', o.eps, 0);
    checkBoolean(where, 'maximize', o.maximize);
  },
  init: (param, o) => ({ sum: tf.fill(param.shape, o.initialAccumulatorValue, param.dtype) }),
  // torch/optim/adagrad.py _single_tensor_adagrad (dense gradients)
  update(param, grad, state, o) {
    let g = o.maximize ? tf.neg(grad) : grad;
    if (o.weightDecay !== 0) g = tf.add(g, tf.mul(param, o.weightDecay));
    const clr = o.lr / (1 + (state.step - 1) * o.lrDecay);
    const sum = tf.add(state.buffers.sum, tf.mul(g, g));
    const std = tf.add(tf.sqrt(sum), o.eps);
    return { param: tf.sub(param, tf.mul(tf.div(g, std), clr)), buffers: { sum } };
  },
};

/** Adagrad (Duchi et al.) with learning-rate decay and an initial accumulator, as torch.optim.Adagrad. */
export function adagrad(
  params: NamedVariables,
  options?: Partial<AdagradOptions> & GroupsOption<AdagradOptions>,
): Optimizer<AdagradOptions> {
  const defaults: AdagradOptions = {
    lr: 1e-2,
    lrDecay: 0,
    weightDecay: 0,
    initialAccumulatorValue: 0,
    eps: 1e-10,
    maximize: false,
  };
  return new GroupedOptimizer(algorithm, params, defaults, options);
}
