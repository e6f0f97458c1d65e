import { OptimizerConfigError } from '../errors';
import type { Optimizer } from '../optimizer';
import { checkType, finite, type LrSchedule, restoreLrs, type ScheduleState } from './schedule';

/** Options of `ReduceOnPlateau`. */
export interface ReduceOnPlateauOptions {
  /** 'min' (default): lower is better; 'max': higher is better. */
  mode?: 'min' | 'max';
  /** lr ← max(lr · factor, minLr). Default 0.1. */
  factor?: number;
  /** Bad epochs tolerated before reducing. Default 10. */
  patience?: number;
  /** Default 1e-4. */
  threshold?: number;
  /** 'rel' (default): better means beyond best·(1 ∓ threshold); 'abs': beyond best ∓ threshold. */
  thresholdMode?: 'rel' | 'abs';
  /** Epochs to wait after a reduction before counting bad epochs again. Default 0. */
  cooldown?: number;
  /** One for all groups or one per group. Default 0. */
  minLr?: number | number[];
  /** Reductions smaller than eps are skipped. Default 1e-8. */
  eps?: number;
}

/** torch ReduceLROnPlateau: `step(metric)` reduces the rate when the metric stops improving. */
export class ReduceOnPlateau implements LrSchedule {
  readonly type = 'reduceOnPlateau';
  readonly mode: 'min' | 'max';
  readonly factor: number;
  readonly patience: number;
  readonly threshold: number;
  readonly thresholdMode: 'rel' | 'abs';
  readonly cooldown: number;
  readonly minLrs: number[];
  readonly eps: number;
  lastEpoch = 0;
  best: number;
  numBadEpochs = 0;
  cooldownCounter = 0;
  lastLr: number[];

  constructor(
    readonly optimizer: Optimizer,
    options: ReduceOnPlateauOptions = {},
  ) {
    this.factor = finite('factor', options.factor ?? 0.1);
    if (!(this.factor < 1 && this.factor >= 0)) {
      throw new OptimizerConfigError('factor', this.factor, 'a number in [0, 1)');
    }
    this.mode = options.mode ?? 'min';
    if (this.mode !== 'min' && this.mode !== 'max') {
      throw new OptimizerConfigError('mode', this.mode, "'min' or 'max'");
    }
    this.thresholdMode = options.thresholdMode ?? 'rel';
    if (this.thresholdMode !== 'rel' && this.thresholdMode !== 'abs') {
      throw new OptimizerConfigError('thresholdMode', this.thresholdMode, "'rel' or 'abs'");
    }
    this.patience = nonNegInt('patience', options.patience ?? 10);
    this.cooldown = nonNegInt('cooldown', options.cooldown ?? 0);
    this.threshold = finite('threshold', options.threshold ?? 1e-4);
    this.eps = finite('eps', options.eps ?? 1e-8);
    const n = optimizer.paramGroups.length;
    const minLr = options.minLr ?? 0;
    if (Array.isArray(minLr) && minLr.length !== n) {
      throw new OptimizerConfigError('minLr', minLr, `${n} values, one per group`);
    }
    this.minLrs = Array.isArray(minLr) ? [...minLr] : Array.from({ length: n }, () => minLr);
    this.best = this.worst;
    this.lastLr = optimizer.paramGroups.map((g) => g.options.lr);
  }

  private get worst(): number {
    return this.mode === 'min' ? Infinity : -Infinity;
  }

  private isBetter(a: number, best: number): boolean {
    if (this.mode === 'min' && this.thresholdMode === 'rel') return a < best * (1 - this.threshold);
    if (this.mode === 'min') return a < best - this.threshold;
    if (this.thresholdMode === 'rel') return a > best * (this.threshold + 1);
    return a > best + this.threshold;
  }

  /** Feeds the monitored metric (e.g. the validation loss) of the epoch that just ended. */
  step(metric?: number): void {
    if (typeof metric !== 'number') {
      throw new OptimizerConfigError(
        'metric',
        metric,
        'the monitored metric, a number: reduceOnPlateau.step(metric)',
      );
    }
    this.lastEpoch += 1;
    if (this.isBetter(metric, this.best)) {
      this.best = metric;
      this.numBadEpochs = 0;
    } else {
      this.numBadEpochs += 1;
    }
    if (this.cooldownCounter > 0) {
      this.cooldownCounter -= 1;
      this.numBadEpochs = 0;
    }
    if (this.numBadEpochs > this.patience) {
      this.optimizer.paramGroups.forEach((g, i) => {
        const old = g.options.lr;
        const next = Math.max(old * this.factor, this.minLrs[i]);
        if (old - next > this.eps) g.options.lr = next;
      });
      this.cooldownCounter = this.cooldown;
      this.numBadEpochs = 0;
    }
    this.lastLr = this.optimizer.paramGroups.map((g) => g.options.lr);
  }

  stateDict(): ScheduleState {
    return {
      type: this.type,
      lastEpoch: this.lastEpoch,
      // JSON has no Infinity: null stands for "no best yet".
      best: Number.isFinite(this.best) ? this.best : null,
      numBadEpochs: this.numBadEpochs,
      cooldownCounter: this.cooldownCounter,
      lastLr: [...this.lastLr],
    };
  }

  loadStateDict(state: ScheduleState): void {
    checkType(state, this.type);
    this.lastEpoch = state.lastEpoch as number;
    this.best = state.best === null ? this.worst : (state.best as number);
    this.numBadEpochs = state.numBadEpochs as number;
    this.cooldownCounter = state.cooldownCounter as number;
    this.lastLr = [...(state.lastLr as number[])];
    restoreLrs(this.optimizer, this.lastLr);
  }
}

function nonNegInt(option: string, value: unknown): number {
  if (!(typeof value === 'number' && Number.isInteger(value) && value >= 0)) {
    throw new OptimizerConfigError(option, value, 'an integer >= 0');
  }
  return value;
}
