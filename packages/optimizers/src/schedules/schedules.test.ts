import { useBackend } from '@seqzoo/backend';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { adagrad } from '../adagrad';
import { adam } from '../adam';
import { OptimizerConfigError, StateDictError } from '../errors';
import type { Optimizer } from '../optimizer';
import { type SgdOptions, sgd } from '../sgd';
import { golden } from '../test-support';
import {
  chained,
  constantLr,
  cosineAnnealing,
  cosineAnnealingWarmRestarts,
  exponentialLr,
  inverseSqrt,
  type LrSchedule,
  linearWarmup,
  multiStepLr,
  noam,
  oneCycle,
  reduceOnPlateau,
  sequential,
  stepLr,
} from './index';
import type { BaseSchedule } from './schedule';

interface Spec {
  name?: string;
  kind: string;
  options?: any;
  children?: Spec[];
  metrics?: number[];
  lrs?: number[][];
  momentum?: number[];
}

const G = golden<{ steps: number; schedules: Spec[] }>('schedules.json');

function build(spec: Spec, opt: Optimizer): LrSchedule {
  const o = spec.options ?? {};
  switch (spec.kind) {
    case 'constantLr':
      return constantLr(opt, o);
    case 'stepLr':
      return stepLr(opt, o);
    case 'multiStepLr':
      return multiStepLr(opt, o);
    case 'exponentialLr':
      return exponentialLr(opt, o);
    case 'cosineAnnealing':
      return cosineAnnealing(opt, o);
    case 'cosineAnnealingWarmRestarts':
      return cosineAnnealingWarmRestarts(opt, o);
    case 'linearWarmup':
      return linearWarmup(opt, o);
    case 'oneCycle':
      return oneCycle(opt, o);
    case 'reduceOnPlateau':
      return reduceOnPlateau(opt, o);
    case 'noam':
      return noam(opt, o);
    case 'inverseSqrt':
      return inverseSqrt(opt, o);
    case 'sequential':
      return sequential(
        opt,
        (spec.children ?? []).map((c) => build(c, opt) as BaseSchedule),
        o,
      );
    case 'chained':
      return chained((spec.children ?? []).map((c) => build(c, opt)));
    default:
      throw new Error(`unknown kind ${spec.kind}`);
  }
}

function setup(): { opt: Optimizer<SgdOptions>; vars: tf.Variable[] } {
  const vars = [tf.variable(tf.zeros([2])), tf.variable(tf.zeros([3]))];
  const opt = sgd(
    { a: vars[0], b: vars[1] },
    { lr: 0.1, momentum: 0.9, groups: [{ params: 'b', lr: 0.05 }] },
  );
  return { opt, vars };
}

const close = (a: number, b: number) => Math.abs(a - b) <= 1e-12 * Math.abs(b) + 1e-16;

/** Steps `s` from its current epoch up to `to`, returning the lrs after each step. */
function run(s: LrSchedule, spec: Spec, from: number, to: number): number[][] {
  const out: number[][] = [];
  for (let t = from; t < to; t++) {
    s.step(spec.metrics?.[t]);
    out.push([...s.optimizer.paramGroups.map((g) => g.options.lr)]);
  }
  return out;
}

// Schedules are plain double-precision arithmetic, the same on every backend: cpu holds the variables.
beforeAll(async () => {
  await useBackend('cpu');
});

describe('schedules match torch.optim.lr_scheduler over 1,000 steps', () => {
  it.each(G.schedules.map((s) => [s.name, s] as const))('%s', (_name, spec) => {
    const { opt, vars } = setup();
    const s = build(spec, opt);
    const lrs = [opt.paramGroups.map((g) => g.options.lr), ...run(s, spec, 0, G.steps)];
    const momenta: number[] = [];
    expect(lrs).toHaveLength((spec.lrs as number[][]).length);
    let bad = 0;
    lrs.forEach((row, t) => {
      row.forEach((lr, g) => {
        if (!close(lr, (spec.lrs as number[][])[t][g])) bad += 1;
      });
    });
    expect(bad).toBe(0);
    expect(s.lastLr).toEqual(lrs[G.steps]);
    if (spec.momentum) {
      // one-cycle's momentum, replayed on a fresh optimizer
      const fresh = setup();
      const s2 = build(spec, fresh.opt);
      momenta.push(fresh.opt.paramGroups[0].options.momentum);
      for (let t = 0; t < G.steps; t++) {
        s2.step();
        momenta.push(fresh.opt.paramGroups[0].options.momentum);
      }
      expect(momenta.every((m, t) => close(m, (spec.momentum as number[])[t]))).toBe(true);
      fresh.opt.dispose();
      for (const v of fresh.vars) v.dispose();
    }
    opt.dispose();
    for (const v of vars) v.dispose();
  });

  it.each(G.schedules.map((s) => [s.name, s] as const))(
    '%s resumes exactly from a JSON state at step 500',
    (_name, spec) => {
      const whole = setup();
      const s = build(spec, whole.opt);
      const first = run(s, spec, 0, 500);
      const saved = JSON.stringify({ opt: whole.opt.stateDict().meta, sched: s.stateDict() });
      const rest = run(s, spec, 500, G.steps);

      const again = setup();
      const s2 = build(spec, again.opt);
      const parsed = JSON.parse(saved);
      again.opt.loadStateDict({ meta: parsed.opt, tensors: new Map() });
      s2.loadStateDict(parsed.sched);
      const resumed = run(s2, spec, 500, G.steps);
      expect(first).toHaveLength(500);
      expect(resumed).toEqual(rest);
      for (const x of [whole, again]) {
        x.opt.dispose();
        for (const v of x.vars) v.dispose();
      }
    },
  );
});

describe('schedule options and state', () => {
  it('rejects bad options with the option and the value', () => {
    const { opt, vars } = setup();
    expect(() => cosineAnnealing(opt, { tMax: 0 })).toThrow(OptimizerConfigError);
    expect(() => cosineAnnealing(opt, { tMax: 0 })).toThrow(/Invalid tMax: 0/);
    expect(() => stepLr(opt, { stepSize: 2.5 })).toThrow(/Invalid stepSize: 2\.5/);
    expect(() => linearWarmup(opt, { startFactor: 1.5 })).toThrow(/Invalid startFactor: 1\.5/);
    expect(() => reduceOnPlateau(opt, { factor: 1 })).toThrow(/Invalid factor: 1/);
    expect(() => oneCycle(opt, { maxLr: [1, 2, 3], totalSteps: 10 })).toThrow(/Invalid maxLr/);
    const a = stepLr(opt, { stepSize: 10 });
    const b = exponentialLr(opt, { gamma: 0.9 });
    expect(() => sequential(opt, [a, b], { milestones: [] })).toThrow(/Invalid milestones/);
    for (const v of vars) v.dispose();
  });

  it('reduceOnPlateau needs the metric; one-cycle stops past totalSteps', () => {
    const { opt, vars } = setup();
    const p = reduceOnPlateau(opt);
    expect(() => p.step()).toThrow(/Invalid metric: undefined/);
    const fresh = setup();
    const oc = oneCycle(fresh.opt, { maxLr: 1, totalSteps: 3 });
    for (let i = 0; i < 3; i++) oc.step();
    expect(() => oc.step()).toThrow(/at most totalSteps \(3\)/);
    for (const v of [...vars, ...fresh.vars]) v.dispose();
  });

  it("one-cycle cycles Adam's beta1 as it cycles SGD's momentum, and needs one of them", () => {
    const spec = G.schedules.find((x) => x.name === 'one-cycle') as Spec;
    const vars = [tf.variable(tf.zeros([2])), tf.variable(tf.zeros([3]))];
    const opt = adam({ a: vars[0], b: vars[1] }, { lr: 0.1, groups: [{ params: 'b', lr: 0.05 }] });
    const s = build(spec, opt);
    const beta1 = [opt.paramGroups[0].options.betas[0]];
    for (let t = 0; t < G.steps; t++) {
      s.step();
      beta1.push(opt.paramGroups[0].options.betas[0]);
      expect(opt.paramGroups[0].options.betas[1]).toBe(0.999);
    }
    expect(beta1.every((m, t) => close(m, (spec.momentum as number[])[t]))).toBe(true);
    expect(s.lastLr).toEqual((spec.lrs as number[][])[G.steps]);
    const ada = adagrad({ a: vars[0] });
    expect(() => oneCycle(ada, { maxLr: 1, totalSteps: 10 })).toThrow(/cycleMomentum: false/);
    expect(() => oneCycle(ada, { maxLr: 1, totalSteps: 10, cycleMomentum: false })).not.toThrow();
    for (const v of vars) v.dispose();
  });

  it('resumes whichever is loaded first: a schedule built after the optimizer state was loaded', () => {
    const spec = G.schedules.find((x) => x.name === 'sequential') as Spec;
    const whole = setup();
    const s = build(spec, whole.opt);
    run(s, spec, 0, 300);
    const saved = JSON.stringify({ opt: whole.opt.stateDict().meta, sched: s.stateDict() });
    const rest = run(s, spec, 300, 400);
    const again = setup();
    const parsed = JSON.parse(saved);
    again.opt.loadStateDict({ meta: parsed.opt, tensors: new Map() });
    const s2 = build(spec, again.opt); // its constructor takes an initial step and resets the rates
    s2.loadStateDict(parsed.sched);
    expect(run(s2, spec, 300, 400)).toEqual(rest);
    for (const v of [...whole.vars, ...again.vars]) v.dispose();
  });

  it('refuses a state saved by another kind of schedule', () => {
    const { opt, vars } = setup();
    const a = stepLr(opt, { stepSize: 10 });
    const b = exponentialLr(opt, { gamma: 0.9 });
    expect(() => b.loadStateDict(a.stateDict())).toThrow(StateDictError);
    for (const v of vars) v.dispose();
  });
});
