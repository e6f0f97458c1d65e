import * as tf from '@tensorflow/tfjs-core';
import { OptimizerConfigError } from './errors';
import type { NamedVariables } from './named';
import { type Algorithm, GroupedOptimizer, type GroupsOption, type Optimizer } from './optimizer';
import { checkBoolean, checkRange } from './validate';

/** torch.optim.SGD's options (torch has no default `lr` for SGD, nor do we). */
export interface SgdOptions {
  lr: number;
  momentum: number;
  dampening: number;
  weightDecay: number;
  nesterov: boolean;
  maximize: boolean;
}

const defaults: Omit<SgdOptions, 'lr'> = {
  momentum: 0,
  dampening: 0,
  weightDecay: 0,
  nesterov: false,
  maximize: false,
};

const algorithm: Algorithm<SgdOptions> = {
  type: 'sgd',
  validate(o, where) {
    checkRange(where, 'lr', o.lr, 0);
    checkRange(where, 'momentum', o.momentum, 0);
    checkRange(where, 'dampening', o.dampening, -Infinity);
    checkRange(where, 'weightDecay', o.weightDecay, 0);
    checkBoolean(where, 'nesterov', o.nesterov);
    checkBoolean(where, 'maximize', o.maximize);
    if (o.nesterov && (o.momentum <= 0 || o.dampening !== 0)) {
      throw new OptimizerConfigError(
        `${where}nesterov`,
        true,
        `momentum > 0 and dampening = 0 with Nesterov (got momentum ${o.momentum}, dampening ${o.dampening})`,
      );
    }
  },
  init: () => ({}),
  // torch/optim/sgd.py _single_tensor_sgd
  update(param, grad, state, o) {
    let d = o.maximize ? tf.neg(grad) : grad;
    if (o.weightDecay !== 0) d = tf.add(d, tf.mul(param, o.weightDecay));
    const buffers: Record<string, tf.Tensor> = {};
    if (o.momentum !== 0) {
      const prev = state.buffers.momentum_buffer;
      const buf =
        prev === undefined
          ? tf.clone(d)
          : tf.add(tf.mul(prev, o.momentum), tf.mul(d, 1 - o.dampening));
      buffers.momentum_buffer = buf;
      d = o.nesterov ? tf.add(d, tf.mul(buf, o.momentum)) : buf;
    }
    return { param: tf.sub(param, tf.mul(d, o.lr)), buffers };
  },
};

/**
 * Stochastic gradient descent with optional momentum, dampening, Nesterov momentum and (coupled,
 * L2) weight decay, exactly as torch.optim.SGD.
 */
export function sgd(
  params: NamedVariables,
  options: Partial<SgdOptions> & { lr: number } & GroupsOption<SgdOptions>,
): Optimizer<SgdOptions> {
  if (options?.lr === undefined) {
    throw new OptimizerConfigError(
      'lr',
      undefined,
      'a learning rate (SGD has no default, as in torch)',
    );
  }
  return new GroupedOptimizer(algorithm, params, { ...defaults, lr: options.lr }, options);
}
