import { OptimizerConfigError } from '../errors';
import type { Optimizer } from '../optimizer';
import { BaseSchedule, finite, inRange, positiveInt } from './schedule';

/** torch ConstantLR: lr·factor until epoch `totalIters`, then lr. Defaults factor 1/3, totalIters 5. */
export class ConstantLr extends BaseSchedule {
  readonly type = 'constantLr';
  readonly factor: number;
  readonly totalIters: number;
  constructor(optimizer: Optimizer, options: { factor?: number; totalIters?: number } = {}) {
    super(optimizer);
    this.factor = inRange('factor', options.factor ?? 1 / 3, 0, 1);
    this.totalIters = positiveIntOrZero('totalIters', options.totalIters ?? 5);
    this.initialStep();
  }
  protected getLr(): number[] {
    const e = this.lastEpoch;
    if (e === 0) return this.lrs.map((lr) => lr * this.factor);
    if (e > this.totalIters || e !== this.totalIters) return this.lrs;
    return this.lrs.map((lr) => lr * (1.0 / this.factor));
  }
  protected override closedForm(): number[] {
    const reached = this.lastEpoch >= this.totalIters ? 1 : 0;
    return this.baseLrs.map((b) => b * (this.factor + reached * (1 - this.factor)));
  }
}

/** torch StepLR: multiplies the rate by `gamma` every `stepSize` epochs. Default gamma 0.1. */
export class StepLr extends BaseSchedule {
  readonly type = 'stepLr';
  readonly stepSize: number;
  readonly gamma: number;
  constructor(optimizer: Optimizer, options: { stepSize: number; gamma?: number }) {
    super(optimizer);
    this.stepSize = positiveInt('stepSize', options?.stepSize);
    this.gamma = finite('gamma', options.gamma ?? 0.1);
    this.initialStep();
  }
  protected getLr(): number[] {
    if (this.lastEpoch === 0 || this.lastEpoch % this.stepSize !== 0) return this.lrs;
    return this.lrs.map((lr) => lr * this.gamma);
  }
  protected override closedForm(): number[] {
    return this.baseLrs.map((b) => b * this.gamma ** Math.floor(this.lastEpoch / this.stepSize));
  }
}

/** torch MultiStepLR: multiplies the rate by `gamma` at each milestone epoch. Default gamma 0.1. */
export class MultiStepLr extends BaseSchedule {
  readonly type = 'multiStepLr';
  readonly milestones: number[];
  readonly gamma: number;
  constructor(optimizer: Optimizer, options: { milestones: number[]; gamma?: number }) {
    super(optimizer);
    if (!Array.isArray(options?.milestones)) {
      throw new OptimizerConfigError('milestones', options?.milestones, 'an array of epochs');
    }
    this.milestones = options.milestones
      .map((m, i) => positiveInt(`milestones[${i}]`, m))
      .sort((a, b) => a - b);
    this.gamma = finite('gamma', options.gamma ?? 0.1);
    this.initialStep();
  }
  protected getLr(): number[] {
    const count = this.milestones.filter((m) => m === this.lastEpoch).length;
    if (count === 0) return this.lrs;
    return this.lrs.map((lr) => lr * this.gamma ** count);
  }
  protected override closedForm(): number[] {
    const passed = this.milestones.filter((m) => m <= this.lastEpoch).length;
    return this.baseLrs.map((b) => b * this.gamma ** passed);
  }
}

/** torch ExponentialLR: multiplies the rate by `gamma` every epoch. */
export class ExponentialLr extends BaseSchedule {
  readonly type = 'exponentialLr';
  readonly gamma: number;
  constructor(optimizer: Optimizer, options: { gamma: number }) {
    super(optimizer);
    this.gamma = finite('gamma', options?.gamma);
    this.initialStep();
  }
  protected getLr(): number[] {
    if (this.lastEpoch === 0) return this.lrs;
    return this.lrs.map((lr) => lr * this.gamma);
  }
  protected override closedForm(): number[] {
    return this.baseLrs.map((b) => b * this.gamma ** this.lastEpoch);
  }
}

/**
 * torch LinearLR, the usual linear warm-up: the factor goes linearly from `startFactor` to
 * `endFactor` over `totalIters` epochs, then stays. Defaults 1/3, 1, 5.
 */
export class LinearWarmup extends BaseSchedule {
  readonly type = 'linearWarmup';
  readonly startFactor: number;
  readonly endFactor: number;
  readonly totalIters: number;
  constructor(
    optimizer: Optimizer,
    options: { startFactor?: number; endFactor?: number; totalIters?: number } = {},
  ) {
    super(optimizer);
    this.startFactor = inRange('startFactor', options.startFactor ?? 1 / 3, 0, 1);
    if (this.startFactor === 0) {
      throw new OptimizerConfigError(
        'startFactor',
        0,
        'a number in (0, 1]: a zero start cannot be scaled up',
      );
    }
    this.endFactor = inRange('endFactor', options.endFactor ?? 1, 0, 1);
    this.totalIters = positiveInt('totalIters', options.totalIters ?? 5);
    this.initialStep();
  }
  protected getLr(): number[] {
    const e = this.lastEpoch;
    if (e === 0) return this.lrs.map((lr) => lr * this.startFactor);
    if (e > this.totalIters) return this.lrs;
    const s = this.startFactor;
    const d = this.endFactor - s;
    return this.lrs.map((lr) => lr * (1 + d / (this.totalIters * s + (e - 1) * d)));
  }
  protected override closedForm(): number[] {
    const d = this.endFactor - this.startFactor;
    const t = Math.min(this.totalIters, this.lastEpoch);
    return this.baseLrs.map((b) => b * (this.startFactor + (d * t) / this.totalIters));
  }
}

function positiveIntOrZero(option: string, value: unknown): number {
  return value === 0 ? 0 : positiveInt(option, value);
}
