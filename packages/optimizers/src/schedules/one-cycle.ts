import { OptimizerConfigError } from '../errors';
import type { Optimizer } from '../optimizer';
import { BaseSchedule, finite, inRange, positiveInt } from './schedule';

/** Options of `OneCycle`. */
export interface OneCycleOptions {
  /** Peak learning rate (one for all groups, or one per group). */
  maxLr: number | number[];
  totalSteps: number;
  /** Fraction of the cycle spent increasing the rate. Default 0.3. */
  pctStart?: number;
  /** 'cos' (default) or 'linear'. */
  annealStrategy?: 'cos' | 'linear';
  /** Cycle momentum (SGD/RMSprop `momentum`, Adam `betas[0]`) inversely to the rate. Default true. */
  cycleMomentum?: boolean;
  baseMomentum?: number;
  maxMomentum?: number;
  /** initialLr = maxLr / divFactor. Default 25. */
  divFactor?: number;
  /** minLr = initialLr / finalDivFactor. Default 1e4. */
  finalDivFactor?: number;
  threePhase?: boolean;
}

interface Phase {
  endStep: number;
  startLr: 'initial' | 'max' | 'min';
  endLr: 'initial' | 'max' | 'min';
  startMomentum: 'base' | 'max';
  endMomentum: 'base' | 'max';
}

/** torch OneCycleLR (Smith & Topin 2018): warm up to maxLr, anneal to a tiny rate; momentum inversely. */
export class OneCycle extends BaseSchedule {
  readonly type = 'oneCycle';
  readonly totalSteps: number;
  private readonly phases: Phase[];
  private readonly anneal: (start: number, end: number, pct: number) => number;
  private readonly cycleMomentum: boolean;
  private readonly useBeta1: boolean;
  private readonly bounds: {
    initial: number;
    max: number;
    min: number;
    base: number;
    maxM: number;
  }[];

  constructor(optimizer: Optimizer, options: OneCycleOptions) {
    super(optimizer);
    const n = this.groups.length;
    this.totalSteps = positiveInt('totalSteps', options?.totalSteps);
    const pct = inRange('pctStart', options.pctStart ?? 0.3, 0, 1);
    const strategy = options.annealStrategy ?? 'cos';
    if (strategy !== 'cos' && strategy !== 'linear') {
      throw new OptimizerConfigError('annealStrategy', strategy, "'cos' or 'linear'");
    }
    this.anneal = strategy === 'cos' ? annealCos : annealLinear;
    const t = this.totalSteps;
    this.phases = options.threePhase
      ? [
          {
            endStep: pct * t - 1,
            startLr: 'initial',
            endLr: 'max',
            startMomentum: 'max',
            endMomentum: 'base',
          },
          {
            endStep: 2 * pct * t - 2,
            startLr: 'max',
            endLr: 'initial',
            startMomentum: 'base',
            endMomentum: 'max',
          },
          {
            endStep: t - 1,
            startLr: 'initial',
            endLr: 'min',
            startMomentum: 'max',
            endMomentum: 'max',
          },
        ]
      : [
          {
            endStep: pct * t - 1,
            startLr: 'initial',
            endLr: 'max',
            startMomentum: 'max',
            endMomentum: 'base',
          },
          {
            endStep: t - 1,
            startLr: 'max',
            endLr: 'min',
            startMomentum: 'base',
            endMomentum: 'max',
          },
        ];
    const maxLrs = perGroup('maxLr', options.maxLr, n);
    const div = finite('divFactor', options.divFactor ?? 25);
    const finalDiv = finite('finalDivFactor', options.finalDivFactor ?? 1e4);
    const maxMs = perGroup('maxMomentum', options.maxMomentum ?? 0.95, n);
    const baseMs = perGroup('baseMomentum', options.baseMomentum ?? 0.85, n);
    this.cycleMomentum = options.cycleMomentum ?? true;
    const first = this.groups[0]?.options ?? {};
    this.useBeta1 = 'betas' in first;
    if (this.cycleMomentum && !('betas' in first) && !('momentum' in first)) {
      throw new OptimizerConfigError(
        'cycleMomentum',
        true,
        `an optimizer with momentum or betas (${optimizer.type} has neither); pass cycleMomentum: false`,
      );
    }
    this.bounds = this.groups.map((g, i) => {
      const initial = maxLrs[i] / div;
      g.initialLr = initial;
      if (this.cycleMomentum) this.setMomentum(i, maxMs[i]);
      return { initial, max: maxLrs[i], min: initial / finalDiv, base: baseMs[i], maxM: maxMs[i] };
    });
    this.baseLrs = this.bounds.map((b) => b.initial);
    this.initialStep();
  }

  private setMomentum(i: number, m: number): void {
    const o = this.groups[i].options as Record<string, unknown>;
    if (this.useBeta1) o.betas = [m, ...(o.betas as number[]).slice(1)];
    else o.momentum = m;
  }

  protected getLr(): number[] {
    const stepNum = this.lastEpoch;
    if (stepNum > this.totalSteps) {
      throw new OptimizerConfigError(
        'oneCycle.step',
        stepNum + 1,
        `at most totalSteps (${this.totalSteps}) steps; create the schedule with a larger totalSteps`,
      );
    }
    return this.bounds.map((b, i) => {
      let start = 0;
      const lrOf = { initial: b.initial, max: b.max, min: b.min };
      const mOf = { base: b.base, max: b.maxM };
      for (let k = 0; k < this.phases.length; k++) {
        const ph = this.phases[k];
        if (stepNum <= ph.endStep || k === this.phases.length - 1) {
          const pct = (stepNum - start) / (ph.endStep - start);
          const lr = this.anneal(lrOf[ph.startLr], lrOf[ph.endLr], pct);
          if (this.cycleMomentum) {
            this.setMomentum(i, this.anneal(mOf[ph.startMomentum], mOf[ph.endMomentum], pct));
          }
          return lr;
        }
        start = ph.endStep;
      }
      throw new Error('unreachable');
    });
  }
}

function annealCos(start: number, end: number, pct: number): number {
  const cosOut = Math.cos(Math.PI * pct) + 1;
  return end + ((start - end) / 2.0) * cosOut;
}

function annealLinear(start: number, end: number, pct: number): number {
  return (end - start) * pct + start;
}

function perGroup(option: string, value: number | number[], n: number): number[] {
  if (Array.isArray(value)) {
    if (value.length !== n)
      throw new OptimizerConfigError(option, value, `${n} values, one per group`);
    return value.map((v, i) => finite(`${option}[${i}]`, v));
  }
  return Array.from({ length: n }, () => finite(option, value));
}
