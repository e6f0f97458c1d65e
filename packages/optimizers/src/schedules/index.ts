import type { Optimizer } from '../optimizer';
import { Chained, Sequential } from './compose';
import { CosineAnnealing, CosineAnnealingWarmRestarts } from './cosine';
import { inverseSqrtSchedule, LambdaLr, type LrLambda, noamSchedule } from './lambda';
import { ConstantLr, ExponentialLr, LinearWarmup, MultiStepLr, StepLr } from './multiplicative';
import { OneCycle, type OneCycleOptions } from './one-cycle';
import { ReduceOnPlateau, type ReduceOnPlateauOptions } from './reduce-on-plateau';
import type { BaseSchedule, LrSchedule } from './schedule';

export { inverseSqrtFactor, noamFactor } from './lambda';
export type { BaseSchedule, LrSchedule, ScheduleState } from './schedule';
export type { LrLambda, OneCycleOptions, ReduceOnPlateauOptions };
export {
  Chained,
  ConstantLr,
  CosineAnnealing,
  CosineAnnealingWarmRestarts,
  ExponentialLr,
  LambdaLr,
  LinearWarmup,
  MultiStepLr,
  OneCycle,
  ReduceOnPlateau,
  Sequential,
  StepLr,
};

/** torch ConstantLR: lr·factor for the first `totalIters` epochs (defaults 1/3 and 5). */
export const constantLr = (opt: Optimizer, o?: { factor?: number; totalIters?: number }) =>
  new ConstantLr(opt, o);
/** torch StepLR: lr·gamma every `stepSize` epochs. */
export const stepLr = (opt: Optimizer, o: { stepSize: number; gamma?: number }) =>
  new StepLr(opt, o);
/** torch MultiStepLR: lr·gamma at each milestone. */
export const multiStepLr = (opt: Optimizer, o: { milestones: number[]; gamma?: number }) =>
  new MultiStepLr(opt, o);
/** torch ExponentialLR: lr·gamma every epoch. */
export const exponentialLr = (opt: Optimizer, o: { gamma: number }) => new ExponentialLr(opt, o);
/** torch LinearLR: linear warm-up of the factor from `startFactor` to `endFactor` over `totalIters`. */
export const linearWarmup = (
  opt: Optimizer,
  o?: { startFactor?: number; endFactor?: number; totalIters?: number },
) => new LinearWarmup(opt, o);
/** torch CosineAnnealingLR. */
export const cosineAnnealing = (opt: Optimizer, o: { tMax: number; etaMin?: number }) =>
  new CosineAnnealing(opt, o);
/** torch CosineAnnealingWarmRestarts (SGDR). */
export const cosineAnnealingWarmRestarts = (
  opt: Optimizer,
  o: { t0: number; tMult?: number; etaMin?: number },
) => new CosineAnnealingWarmRestarts(opt, o);
/** torch OneCycleLR. */
export const oneCycle = (opt: Optimizer, o: OneCycleOptions) => new OneCycle(opt, o);
/** torch ReduceLROnPlateau; call `step(metric)`. */
export const reduceOnPlateau = (opt: Optimizer, o?: ReduceOnPlateauOptions) =>
  new ReduceOnPlateau(opt, o);
/** torch LambdaLR: lr = initialLr · fn(epoch). */
export const lambdaLr = (opt: Optimizer, fn: LrLambda | readonly LrLambda[]) =>
  new LambdaLr(opt, fn);
/** The Transformer ("Noam") schedule; see `noamFactor`. */
export const noam = (opt: Optimizer, o: { dModel: number; warmupSteps: number }) =>
  noamSchedule(opt, o);
/** Linear warm-up then 1/√step decay; see `inverseSqrtFactor`. */
export const inverseSqrt = (opt: Optimizer, o: { warmupSteps: number }) =>
  inverseSqrtSchedule(opt, o);
/** torch SequentialLR: `schedules[i]` runs from `milestones[i-1]` on. */
export const sequential = (
  opt: Optimizer,
  schedules: readonly BaseSchedule[],
  o: { milestones: number[] },
) => new Sequential(opt, schedules, o?.milestones);
/** torch ChainedScheduler: steps every schedule each step; their factors multiply. */
export const chained = (schedules: readonly LrSchedule[]) => new Chained(schedules);
