import * as tf from '@tensorflow/tfjs-core';
import type { NamedVariables } from './named';
import { type Algorithm, GroupedOptimizer, type GroupsOption, type Optimizer } from './optimizer';
import { checkBetas, checkBoolean, checkRange } from './validate';

/** torch.optim.Adam / AdamW options. */
export interface AdamOptions {
  lr: number;
  betas: [number, number];
  eps: number;
  weightDecay: number;
  amsgrad: boolean;
  maximize: boolean;
}

function adamAlgorithm(type: 'adam' | 'adamw'): Algorithm<AdamOptions> {
  return {
    type,
    validate(o, where) {
      checkRange(where, 'lr', o.lr, 0);
      checkRange(where, 'eps', o.eps, 0);
      checkBetas(where, o.betas);
      checkRange(where, 'weightDecay', o.weightDecay, 0);
      checkBoolean(where, 'amsgrad', o.amsgrad);
      checkBoolean(where, 'maximize', o.maximize);
    },
    init(param, o) {
      const buffers: Record<string, tf.Tensor> = {
        exp_avg: tf.zerosLike(param),
        exp_avg_sq: tf.zerosLike(param),
      };
      if (o.amsgrad) buffers.max_exp_avg_sq = tf.zerosLike(param);
      return buffers;
    },
    // torch/optim/adam.py _single_tensor_adam and adamw.py _single_tensor_adamw
    update(param, grad, state, o) {
      const [beta1, beta2] = o.betas;
      let g = o.maximize ? tf.neg(grad) : grad;
      let p: tf.Tensor = param;
      if (o.weightDecay !== 0) {
        if (type === 'adamw') p = tf.mul(param, 1 - o.lr * o.weightDecay);
        else g = tf.add(g, tf.mul(param, o.weightDecay));
      }
      const expAvg = tf.add(tf.mul(state.buffers.exp_avg, beta1), tf.mul(g, 1 - beta1));
      const expAvgSq = tf.add(
        tf.mul(state.buffers.exp_avg_sq, beta2),
        tf.mul(tf.mul(g, 1 - beta2), g),
      );
      const buffers: Record<string, tf.Tensor> = { exp_avg: expAvg, exp_avg_sq: expAvgSq };
      const biasCorrection1 = 1 - beta1 ** state.step;
      const biasCorrection2 = 1 - beta2 ** state.step;
      const stepSize = o.lr / biasCorrection1;
      const bc2Sqrt = Math.sqrt(biasCorrection2);
      let second = expAvgSq;
      if (o.amsgrad) {
        // A group switched to amsgrad after its first step starts its max from zeros.
        const prevMax = state.buffers.max_exp_avg_sq ?? tf.zerosLike(param);
        second = tf.maximum(prevMax, expAvgSq);
        buffers.max_exp_avg_sq = second;
      }
      const denom = tf.add(tf.div(tf.sqrt(second), bc2Sqrt), o.eps);
      return { param: tf.sub(p, tf.mul(tf.div(expAvg, denom), stepSize)), buffers };
    },
  };
}

const adamAlg = adamAlgorithm('adam');
const adamwAlg = adamAlgorithm('adamw');

const base = {
  lr: 1e-3,
  betas: [0.9, 0.999] as [number, number],
  eps: 1e-8,
  amsgrad: false,
  maximize: false,
};

/** Adam (Kingma & Ba) with L2 weight decay added to the gradient and optional AMSGrad, as torch.optim.Adam. */
export function adam(
  params: NamedVariables,
  options?: Partial<AdamOptions> & GroupsOption<AdamOptions>,
): Optimizer<AdamOptions> {
  return new GroupedOptimizer(adamAlg, params, { ...base, weightDecay: 0 }, options);
}

/** AdamW (Loshchilov & Hutter): decoupled weight decay `p *= 1 - lr·wd`, as torch.optim.AdamW (default wd 0.01). */
export function adamw(
  params: NamedVariables,
  options?: Partial<AdamOptions> & GroupsOption<AdamOptions>,
): Optimizer<AdamOptions> {
  return new GroupedOptimizer(adamwAlg, params, { ...base, weightDecay: 1e-2 }, options);
}
