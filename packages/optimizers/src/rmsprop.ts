import * as tf from '@tensorflow/tfjs-core';
import type { NamedVariables } from './named';
import { type Algorithm, GroupedOptimizer, type GroupsOption, type Optimizer } from './optimizer';
import { checkBoolean, checkRange } from './validate';

/** torch.optim.RMSprop options. */
export interface RmspropOptions {
  lr: number;
  alpha: number;
  eps: number;
  weightDecay: number;
  momentum: number;
  centered: boolean;
  maximize: boolean;
}

const algorithm: Algorithm<RmspropOptions> = {
  type: 'rmsprop',
  validate(o, where) {
    checkRange(where, 'lr', o.lr, 0);
    checkRange(where, 'alpha', o.alpha, 0);
    checkRange(where, 'eps', o.eps, 0);
    checkRange(where, 'weightDecay', o.weightDecay, 0);
    checkRange(where, 'momentum', o.momentum, 0);
    checkBoolean(where, 'centered', o.centered);
    checkBoolean(where, 'maximize', o.maximize);
  },
  init(param, o) {
    const buffers: Record<string, tf.Tensor> = { square_avg: tf.zerosLike(param) };
    if (o.momentum > 0) buffers.momentum_buffer = tf.zerosLike(param);
    if (o.centered) buffers.grad_avg = tf.zerosLike(param);
    return buffers;
  },
  // torch/optim/rmsprop.py _single_tensor_rmsprop
  update(param, grad, state, o) {
    let g = o.maximize ? tf.neg(grad) : grad;
    if (o.weightDecay !== 0) g = tf.add(g, tf.mul(param, o.weightDecay));
    const squareAvg = tf.add(
      tf.mul(state.buffers.square_avg, o.alpha),
      tf.mul(tf.mul(g, 1 - o.alpha), g),
    );
    const buffers: Record<string, tf.Tensor> = { square_avg: squareAvg };
    let avg: tf.Tensor;
    if (o.centered) {
      const prev = state.buffers.grad_avg ?? tf.zerosLike(param);
      const gradAvg = tf.add(tf.mul(prev, o.alpha), tf.mul(g, 1 - o.alpha));
      buffers.grad_avg = gradAvg;
      avg = tf.sqrt(tf.sub(squareAvg, tf.mul(gradAvg, gradAvg)));
    } else {
      avg = tf.sqrt(squareAvg);
    }
    avg = tf.add(avg, o.eps);
    if (o.momentum > 0) {
      const prev = state.buffers.momentum_buffer ?? tf.zerosLike(param);
      const buf = tf.add(tf.mul(prev, o.momentum), tf.div(g, avg));
      buffers.momentum_buffer = buf;
      return { param: tf.sub(param, tf.mul(buf, o.lr)), buffers };
    }
    return { param: tf.sub(param, tf.mul(tf.div(g, avg), o.lr)), buffers };
  },
};

/** RMSprop (Hinton) with smoothing `alpha`, optional centering and momentum, as torch.optim.RMSprop. */
export function rmsprop(
  params: NamedVariables,
  options?: Partial<RmspropOptions> & GroupsOption<RmspropOptions>,
): Optimizer<RmspropOptions> {
  const defaults: RmspropOptions = {
    lr: 1e-2,
    alpha: 0.99,
    eps: 1e-8,
    weightDecay: 0,
    momentum: 0,
    centered: false,
    maximize: false,
  };
  return new GroupedOptimizer(algorithm, params, defaults, options);
}
