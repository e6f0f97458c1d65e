import { OptimizerConfigError, StateDictError } from '../errors';
import type { Optimizer } from '../optimizer';
import {
  BaseSchedule,
  checkType,
  type LrSchedule,
  restoreLrs,
  type ScheduleState,
} from './schedule';

function sameOptimizer(optimizer: Optimizer, schedules: readonly LrSchedule[], what: string): void {
  schedules.forEach((s, i) => {
    if (s.optimizer !== optimizer) {
      throw new OptimizerConfigError(`schedules[${i}]`, s.type, `${what} over one optimizer`);
    }
  });
}

function loadChildren(children: readonly LrSchedule[], states: unknown): void {
  if (!Array.isArray(states) || states.length !== children.length) {
    throw new StateDictError(
      `it holds ${Array.isArray(states) ? states.length : 0} schedules, this one ${children.length}`,
    );
  }
  children.forEach((c, i) => {
    c.loadStateDict(states[i] as ScheduleState);
  });
}

/**
 * torch SequentialLR: runs `schedules[0]` until `milestones[0]`, then `schedules[1]` (restarted at
 * its epoch 0), and so on. Build the children on the same optimizer first, then pass them here.
 */
export class Sequential implements LrSchedule {
  readonly type = 'sequential';
  lastEpoch: number;
  lastLr: number[];
  readonly optimizer: Optimizer;

  constructor(
    optimizer: Optimizer,
    readonly schedules: readonly BaseSchedule[],
    readonly milestones: readonly number[],
  ) {
    this.optimizer = optimizer;
    if (!Array.isArray(schedules) || schedules.length === 0) {
      throw new OptimizerConfigError('schedules', schedules, 'a non-empty array of schedules');
    }
    sameOptimizer(optimizer, schedules, 'schedules');
    for (const s of schedules) {
      if (!(s instanceof BaseSchedule)) {
        throw new OptimizerConfigError(
          'schedules',
          s.type,
          'epoch-based schedules (not reduceOnPlateau or sequences)',
        );
      }
    }
    if (!Array.isArray(milestones) || milestones.length !== schedules.length - 1) {
      throw new OptimizerConfigError(
        'milestones',
        milestones,
        `${schedules.length - 1} milestones, one fewer than the schedules`,
      );
    }
    this.lastEpoch = 0;
    for (const g of optimizer.paramGroups) g.options.lr = g.initialLr as number;
    for (const s of schedules) s.lastEpoch -= 1;
    schedules[0].initialStep();
    this.lastLr = [...schedules[0].lastLr];
  }

  step(): void {
    this.lastEpoch += 1;
    const idx = this.milestones.filter((m) => m <= this.lastEpoch).length;
    const s = this.schedules[idx];
    if (idx > 0 && this.milestones[idx - 1] === this.lastEpoch) s.stepTo(0);
    else s.step();
    this.lastLr = [...s.lastLr];
  }

  stateDict(): ScheduleState {
    return {
      type: this.type,
      lastEpoch: this.lastEpoch,
      lastLr: [...this.lastLr],
      schedules: this.schedules.map((s) => s.stateDict()),
    };
  }

  loadStateDict(state: ScheduleState): void {
    checkType(state, this.type);
    loadChildren(this.schedules, state.schedules);
    this.lastEpoch = state.lastEpoch as number;
    this.lastLr = [...(state.lastLr as number[])];
    restoreLrs(this.optimizer, this.lastLr);
  }
}

/** torch ChainedScheduler: every `step()` steps all the schedules, whose factors multiply. */
export class Chained implements LrSchedule {
  readonly type = 'chained';
  readonly optimizer: Optimizer;
  lastLr: number[];

  constructor(readonly schedules: readonly LrSchedule[]) {
    if (!Array.isArray(schedules) || schedules.length === 0) {
      throw new OptimizerConfigError('schedules', schedules, 'a non-empty array of schedules');
    }
    this.optimizer = schedules[0].optimizer;
    sameOptimizer(this.optimizer, schedules, 'schedules');
    this.lastLr = this.optimizer.paramGroups.map((g) => g.options.lr);
  }

  get lastEpoch(): number {
    return this.schedules[0].lastEpoch;
  }

  step(metric?: number): void {
    for (const s of this.schedules) s.step(metric);
    this.lastLr = this.optimizer.paramGroups.map((g) => g.options.lr);
  }

  stateDict(): ScheduleState {
    return {
      type: this.type,
      lastLr: [...this.lastLr],
      schedules: this.schedules.map((s) => s.stateDict()),
    };
  }

  loadStateDict(state: ScheduleState): void {
    checkType(state, this.type);
    loadChildren(this.schedules, state.schedules);
    this.lastLr = [...(state.lastLr as number[])];
    restoreLrs(this.optimizer, this.lastLr);
  }
}
