import { OptimizerConfigError, StateDictError } from '../errors';
import type { Optimizer } from '../optimizer';
import type { ParamGroup } from '../param-groups';

/** JSON-able state of a schedule (`type` plus its counters). */
export interface ScheduleState {
  type: string;
  [key: string]: unknown;
}

/** A learning-rate schedule bound to an optimizer. Call `step()` once per optimizer step (or epoch). */
export interface LrSchedule {
  readonly type: string;
  readonly optimizer: Optimizer;
  /** How many times the schedule has stepped (torch's `last_epoch`). */
  readonly lastEpoch: number;
  /** The learning rate of each group after the last step (torch's `get_last_lr()`). */
  readonly lastLr: readonly number[];
  /** Advances the schedule and writes the new learning rates into the optimizer. */
  step(metric?: number): void;
  /** The schedule's state as JSON-able data, to save with a checkpoint. */
  stateDict(): ScheduleState;
  /** Restores a state from `stateDict()` and writes its rates back into the optimizer. */
  loadStateDict(state: ScheduleState): void;
}

type AnyGroup = ParamGroup<{ lr: number } & Record<string, unknown>>;

/**
 * The chainable schedules of torch.optim.lr_scheduler (`_LRScheduler`): construction sets each
 * group's `initialLr` (when unset) and takes the initial step to epoch 0; `getLr()` computes the
 * next rates from the current ones (so schedules chain); `closedForm()` serves `step(epoch)`.
 */
export abstract class BaseSchedule implements LrSchedule {
  abstract readonly type: string;
  lastEpoch = -1;
  stepCount = 0;
  baseLrs: number[];
  lastLr: number[] = [];

  constructor(readonly optimizer: Optimizer) {
    if (optimizer === null || typeof optimizer !== 'object' || !('paramGroups' in optimizer)) {
      throw new OptimizerConfigError('optimizer', optimizer, 'an Optimizer from this package');
    }
    for (const g of this.groups) if (g.initialLr === undefined) g.initialLr = g.options.lr;
    this.baseLrs = this.groups.map((g) => g.initialLr as number);
  }

  protected get groups(): AnyGroup[] {
    return this.optimizer.paramGroups as unknown as AnyGroup[];
  }

  protected get lrs(): number[] {
    return this.groups.map((g) => g.options.lr);
  }

  /** Subclasses call this at the end of their constructor (torch's `_initial_step`). */
  initialStep(): void {
    this.stepCount = 0;
    this.step();
  }

  /** The rates of the next epoch, computed from the current ones (torch's `get_lr()`). */
  protected abstract getLr(): number[];
  /** The rates at `lastEpoch` computed directly, where there is a formula; used by `stepTo`. */
  protected closedForm?(): number[];

  /** Advances one epoch and writes the new rates into the optimizer. */
  step(): void;
  /** Advances one epoch (the metric is ignored) and writes the new rates into the optimizer. */
  step(metric?: number): void;
  step(_metric?: number): void {
    this.stepCount += 1;
    this.lastEpoch += 1;
    this.apply(this.getLr());
  }

  /** torch's `step(epoch)`: jumps to `epoch` using the closed form where there is one. */
  stepTo(epoch: number): void {
    this.stepCount += 1;
    this.lastEpoch = epoch;
    this.apply(this.closedForm ? this.closedForm() : this.getLr());
  }

  /** Writes one rate per group into the optimizer and records them as `lastLr`. */
  protected apply(values: number[]): void {
    values.forEach((lr, i) => {
      this.groups[i].options.lr = lr;
    });
    this.lastLr = this.lrs;
  }

  /** Subclass fields to save in `stateDict()` besides the common counters (none by default). */
  protected extraState(): Record<string, unknown> {
    return {};
  }

  /** Restores the fields saved by `extraState()` (nothing by default). */
  protected loadExtra(_state: ScheduleState): void {}

  /** The counters, base and last rates (plus `extraState()`) as JSON-able data. */
  stateDict(): ScheduleState {
    return {
      type: this.type,
      lastEpoch: this.lastEpoch,
      stepCount: this.stepCount,
      baseLrs: [...this.baseLrs],
      lastLr: [...this.lastLr],
      ...this.extraState(),
    };
  }

  /** Restores a `stateDict()` of the same schedule type and writes its rates into the optimizer. */
  loadStateDict(state: ScheduleState): void {
    checkType(state, this.type);
    this.lastEpoch = state.lastEpoch as number;
    this.stepCount = state.stepCount as number;
    this.baseLrs = [...(state.baseLrs as number[])];
    this.lastLr = [...(state.lastLr as number[])];
    this.loadExtra(state);
    restoreLrs(this.optimizer, this.lastLr);
  }
}

/**
 * Writes the saved rates back into the optimizer, so that a schedule built after the optimizer's
 * state was loaded (its constructor takes an initial step) still continues from the saved rates.
 */
export function restoreLrs(optimizer: Optimizer, lrs: readonly number[]): void {
  if (lrs.length !== optimizer.paramGroups.length) {
    throw new StateDictError(
      `it holds ${lrs.length} learning rates, the optimizer has ${optimizer.paramGroups.length} groups`,
    );
  }
  optimizer.paramGroups.forEach((g, i) => {
    g.options.lr = lrs[i];
  });
}

export function checkType(state: ScheduleState, type: string): void {
  if (state?.type !== type) {
    throw new StateDictError(`it was saved by a '${state?.type}' schedule, this one is '${type}'`);
  }
}

export function positiveInt(option: string, value: unknown): number {
  if (!(typeof value === 'number' && Number.isInteger(value) && value > 0)) {
    throw new OptimizerConfigError(option, value, 'a positive integer');
  }
  return value;
}

export function inRange(option: string, value: unknown, min: number, max: number): number {
  if (!(typeof value === 'number' && value >= min && value <= max)) {
    throw new OptimizerConfigError(option, value, `a number in [${min}, ${max}]`);
  }
  return value;
}

export function finite(option: string, value: unknown): number {
  if (!(typeof value === 'number' && Number.isFinite(value))) {
    throw new OptimizerConfigError(option, value, 'a finite number');
  }
  return value;
}
