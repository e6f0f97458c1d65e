import { FitOptionsError } from './errors';

/** Options of early stopping: the monitored value, its direction and patience. */
export interface EarlyStoppingOptions {
  /** A validation result name: 'loss' or a metric ('accuracy'…). Default 'loss'. */
  monitor?: string;
  /** Default 'min' for loss, else 'max'. */
  mode?: 'min' | 'max';
  /** Validations without improvement before stopping. Default 3. */
  patience?: number;
  /** Smallest change that counts as an improvement. Default 0. */
  minDelta?: number;
}

/** JSON-able state of early stopping (best value, its step, validations waited). */
export interface EarlyStoppingState {
  best: number | null;
  bestStep: number;
  wait: number;
}

/** Keras-style early stopping over validation results; its state travels with checkpoints. */
export class EarlyStopping {
  readonly monitor: string;
  readonly mode: 'min' | 'max';
  readonly patience: number;
  readonly minDelta: number;
  state: EarlyStoppingState = { best: null, bestStep: 0, wait: 0 };

  constructor(options: EarlyStoppingOptions) {
    this.monitor = options.monitor ?? 'loss';
    this.mode = options.mode ?? (this.monitor.endsWith('loss') ? 'min' : 'max');
    this.patience = options.patience ?? 3;
    this.minDelta = options.minDelta ?? 0;
    if (!Number.isInteger(this.patience) || this.patience < 0) {
      throw new FitOptionsError(
        'earlyStopping.patience',
        `must be a non-negative integer, got ${options.patience}.`,
      );
    }
  }

  /** Records a validation; returns 'improved', 'waiting' or 'stop'. */
  update(results: Record<string, number>, step: number): 'improved' | 'waiting' | 'stop' {
    const value = results[this.monitor];
    if (value === undefined) {
      throw new FitOptionsError(
        'earlyStopping.monitor',
        `is '${this.monitor}' but validation gives ${Object.keys(results).join(', ')}.`,
      );
    }
    const { best } = this.state;
    const better =
      best === null ||
      (this.mode === 'min' ? value < best - this.minDelta : value > best + this.minDelta);
    if (better) {
      this.state = { best: value, bestStep: step, wait: 0 };
      return 'improved';
    }
    this.state = { ...this.state, wait: this.state.wait + 1 };
    return this.state.wait >= this.patience ? 'stop' : 'waiting';
  }
}
