import { OptimizerConfigError } from '../errors';
import type { Optimizer } from '../optimizer';
import { BaseSchedule, finite, positiveInt, type ScheduleState } from './schedule';

/**
 * torch CosineAnnealingLR: η = ηmin + (η0 − ηmin)(1 + cos(π·t/tMax))/2, computed in torch's
 * recursive (chainable) form so that its values match step by step; past tMax it rises again.
 */
export class CosineAnnealing extends BaseSchedule {
  readonly type = 'cosineAnnealing';
  readonly tMax: number;
  readonly etaMin: number;
  constructor(optimizer: Optimizer, options: { tMax: number; etaMin?: number }) {
    super(optimizer);
    this.tMax = positiveInt('tMax', options?.tMax);
    this.etaMin = finite('etaMin', options.etaMin ?? 0);
    this.initialStep();
  }
  protected getLr(): number[] {
    const e = this.lastEpoch;
    const { tMax, etaMin } = this;
    if (e === 0) return this.lrs;
    if (this.stepCount === 1 && e > 0) {
      return this.baseLrs.map(
        (b) => etaMin + ((b - etaMin) * (1 + Math.cos((e * Math.PI) / tMax))) / 2,
      );
    }
    if ((e - 1 - tMax) % (2 * tMax) === 0) {
      return this.lrs.map(
        (lr, i) => lr + ((this.baseLrs[i] - etaMin) * (1 - Math.cos(Math.PI / tMax))) / 2,
      );
    }
    return this.lrs.map(
      (lr) =>
        ((1 + Math.cos((Math.PI * e) / tMax)) / (1 + Math.cos((Math.PI * (e - 1)) / tMax))) *
          (lr - etaMin) +
        etaMin,
    );
  }
  protected override closedForm(): number[] {
    return this.baseLrs.map(
      (b) =>
        this.etaMin +
        ((b - this.etaMin) * (1 + Math.cos((Math.PI * this.lastEpoch) / this.tMax))) / 2,
    );
  }
}

/**
 * torch CosineAnnealingWarmRestarts (SGDR): cosine from η0 to ηmin over t0 epochs, then restarts,
 * each period `tMult` times longer than the last.
 */
export class CosineAnnealingWarmRestarts extends BaseSchedule {
  readonly type = 'cosineAnnealingWarmRestarts';
  readonly t0: number;
  readonly tMult: number;
  readonly etaMin: number;
  tI: number;
  tCur: number;
  constructor(optimizer: Optimizer, options: { t0: number; tMult?: number; etaMin?: number }) {
    super(optimizer);
    this.t0 = positiveInt('t0', options?.t0);
    this.tMult = positiveInt('tMult', options.tMult ?? 1);
    this.etaMin = finite('etaMin', options.etaMin ?? 0);
    this.tI = this.t0;
    this.tCur = -1;
    this.initialStep();
  }
  protected getLr(): number[] {
    return this.baseLrs.map(
      (b) =>
        this.etaMin + ((b - this.etaMin) * (1 + Math.cos((Math.PI * this.tCur) / this.tI))) / 2,
    );
  }
  override step(): void {
    if (this.lastEpoch < 0) {
      this.stepTo(0);
      return;
    }
    this.stepCount += 1;
    this.tCur += 1;
    if (this.tCur >= this.tI) {
      this.tCur -= this.tI;
      this.tI *= this.tMult;
    }
    this.lastEpoch += 1;
    this.apply(this.getLr());
  }
  /** Jumps to a (possibly fractional) epoch, as torch's `step(epoch)`. */
  override stepTo(epoch: number): void {
    if (!(epoch >= 0)) throw new OptimizerConfigError('epoch', epoch, 'a number >= 0');
    this.stepCount += 1;
    if (epoch >= this.t0) {
      if (this.tMult === 1) {
        this.tCur = epoch % this.t0;
      } else {
        const n = Math.floor(
          Math.log((epoch / this.t0) * (this.tMult - 1) + 1) / Math.log(this.tMult),
        );
        this.tCur = epoch - (this.t0 * (this.tMult ** n - 1)) / (this.tMult - 1);
        this.tI = this.t0 * this.tMult ** n;
      }
    } else {
      this.tI = this.t0;
      this.tCur = epoch;
    }
    this.lastEpoch = Math.floor(epoch);
    this.apply(this.getLr());
  }
  protected override extraState(): Record<string, unknown> {
    return { tI: this.tI, tCur: this.tCur };
  }
  protected override loadExtra(state: ScheduleState): void {
    this.tI = state.tI as number;
    this.tCur = state.tCur as number;
  }
}
