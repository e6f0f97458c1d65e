import { OptimizerConfigError } from '../errors';
import type { Optimizer } from '../optimizer';
import { BaseSchedule, positiveInt } from './schedule';

/** A multiplicative factor of the initial rate as a function of the epoch (0-based). */
export type LrLambda = (epoch: number) => number;

/** torch LambdaLR: lr = initialLr · fn(epoch); one function for all groups or one per group. */
export class LambdaLr extends BaseSchedule {
  type = 'lambdaLr';
  readonly lambdas: LrLambda[];
  constructor(optimizer: Optimizer, fn: LrLambda | readonly LrLambda[], type = 'lambdaLr') {
    super(optimizer);
    this.type = type;
    const n = this.groups.length;
    const fns = Array.isArray(fn) ? [...fn] : Array.from({ length: n }, () => fn as LrLambda);
    if (fns.length !== n || fns.some((f) => typeof f !== 'function')) {
      throw new OptimizerConfigError(
        'lrLambda',
        fn,
        `a function, or ${n} functions (one per group)`,
      );
    }
    this.lambdas = fns;
    this.initialStep();
  }
  protected getLr(): number[] {
    return this.baseLrs.map((b, i) => b * this.lambdas[i](this.lastEpoch));
  }
}

/**
 * The Transformer schedule (Vaswani et al. 2017, "Noam"): with s = epoch + 1,
 * lr = initialLr · dModel^-0.5 · min(s^-0.5, s · warmupSteps^-1.5).
 * Set the optimizer's lr to the scale (1 in the paper).
 */
export function noamFactor(dModel: number, warmupSteps: number): LrLambda {
  return (epoch) => {
    const s = epoch + 1;
    return dModel ** -0.5 * Math.min(s ** -0.5, s * warmupSteps ** -1.5);
  };
}

/**
 * Inverse square root (fairseq/T5 style): with s = epoch + 1, lr = initialLr · min(s / warmupSteps,
 * sqrt(warmupSteps / s)): linear warm-up to the optimizer's lr at s = warmupSteps, then ∝ 1/√s.
 */
export function inverseSqrtFactor(warmupSteps: number): LrLambda {
  return (epoch) => {
    const s = epoch + 1;
    return Math.min(s / warmupSteps, Math.sqrt(warmupSteps / s));
  };
}

export function noamSchedule(
  optimizer: Optimizer,
  options: { dModel: number; warmupSteps: number },
): LambdaLr {
  const dModel = positiveInt('dModel', options?.dModel);
  const warmup = positiveInt('warmupSteps', options.warmupSteps);
  return new LambdaLr(optimizer, noamFactor(dModel, warmup), 'noam');
}

export function inverseSqrtSchedule(
  optimizer: Optimizer,
  options: { warmupSteps: number },
): LambdaLr {
  const warmup = positiveInt('warmupSteps', options?.warmupSteps);
  return new LambdaLr(optimizer, inverseSqrtFactor(warmup), 'inverseSqrt');
}
