import { useBackend } from '@seqzoo/backend';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adagrad } from './adagrad';
import { adam, adamw } from './adam';
import { GradientMismatchError, OptimizerConfigError, OptimizerDisposedError } from './errors';
import { rmsprop } from './rmsprop';
import { sgd } from './sgd';

let params: Map<string, tf.Variable>;

beforeAll(async () => {
  await useBackend('cpu');
  params = new Map([
    ['encoder.rnn.weightIh', tf.variable(tf.ones([2, 3]))],
    ['encoder.rnn.bias', tf.variable(tf.zeros([3]))],
    ['encoder.norm.gamma', tf.variable(tf.ones([3]))],
    ['decoder.out.weight', tf.variable(tf.ones([3, 2]))],
    ['decoder.out.bias', tf.variable(tf.zeros([2]))],
  ]);
});

afterAll(() => {
  for (const p of params.values()) p.dispose();
});

function configError(fn: () => unknown): OptimizerConfigError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(OptimizerConfigError);
    return error as OptimizerConfigError;
  }
  throw new Error('expected an OptimizerConfigError');
}

describe('bad options throw OptimizerConfigError naming the option and the value', () => {
  it.each([
    ['negative lr', () => adam(params, { lr: -0.1 }), 'lr', -0.1],
    ['NaN lr', () => rmsprop(params, { lr: Number.NaN }), 'lr', Number.NaN],
    ['beta1 = 1', () => adam(params, { betas: [1, 0.999] }), 'betas[0]', 1],
    ['beta2 > 1', () => adamw(params, { betas: [0.9, 1.5] }), 'betas[1]', 1.5],
    ['negative eps', () => adam(params, { eps: -1e-8 }), 'eps', -1e-8],
    ['negative momentum', () => sgd(params, { lr: 0.1, momentum: -0.5 }), 'momentum', -0.5],
    ['negative weight decay', () => adagrad(params, { weightDecay: -1 }), 'weightDecay', -1],
    ['negative alpha', () => rmsprop(params, { alpha: -0.1 }), 'alpha', -0.1],
    ['negative lr decay', () => adagrad(params, { lrDecay: -0.1 }), 'lrDecay', -0.1],
    [
      'negative accumulator',
      () => adagrad(params, { initialAccumulatorValue: -1 }),
      'initialAccumulatorValue',
      -1,
    ],
    ['nesterov without momentum', () => sgd(params, { lr: 0.1, nesterov: true }), 'nesterov', true],
    ['an unknown option', () => adam(params, { weight_decay: 0.1 } as any), 'weight_decay', 0.1],
    ['sgd without lr', () => sgd(params, {} as any), 'lr', undefined],
    [
      'a bad option in a group',
      () => adamw(params, { groups: [{ params: '*.bias', lr: -1 }] }),
      'groups[0].lr',
      -1,
    ],
  ] as const)('%s', (_what, fn, option, value) => {
    const error = configError(fn);
    expect(error.option).toBe(option);
    expect(error.value).toEqual(value);
    expect(error.message).toContain(
      `Invalid ${option}: ${Number.isNaN(value) ? 'NaN' : (JSON.stringify(value) ?? 'undefined')}`,
    );
  });
});

describe('parameter groups', () => {
  it('group 0 holds what no group selects; globs, names, RegExps and predicates select', () => {
    const opt = adamw(params, {
      lr: 1e-3,
      groups: [
        { params: ['*.bias', /\.norm\./], weightDecay: 0 },
        { params: (n) => n.startsWith('decoder.') && !n.endsWith('.bias'), lr: 1e-4 },
      ],
    });
    expect(opt.paramGroups.map((g) => g.params)).toEqual([
      ['encoder.rnn.weightIh'],
      ['encoder.rnn.bias', 'encoder.norm.gamma', 'decoder.out.bias'],
      ['decoder.out.weight'],
    ]);
    expect(opt.paramGroups[1].options).toMatchObject({ weightDecay: 0, lr: 1e-3 });
    expect(opt.paramGroups[2].options).toMatchObject({ weightDecay: 1e-2, lr: 1e-4 });
    opt.lr = 0.5;
    expect(opt.paramGroups.map((g) => g.options.lr)).toEqual([0.5, 0.5, 0.5]);
    expect(opt.lr).toBe(0.5);
    opt.dispose();
  });

  it('an unknown parameter name is an error that names it', () => {
    const error = configError(() =>
      adam(params, { groups: [{ params: ['encoder.rnn.weightHh'] }] }),
    );
    expect(error.option).toBe('groups[0].params[0]');
    expect(error.value).toBe('encoder.rnn.weightHh');
    expect(error.message).toMatch(
      /the name of a parameter of this optimizer \(encoder\.rnn\.weightIh/,
    );
  });

  it('a pattern that matches nothing and a parameter in two groups are errors', () => {
    expect(configError(() => adam(params, { groups: [{ params: 'encoder.*.beta' }] })).option).toBe(
      'groups[0].params',
    );
    const twice = configError(() =>
      adam(params, { groups: [{ params: '*.bias' }, { params: 'decoder.out.bias' }] }),
    );
    expect(twice.message).toMatch(/groups\[0\] already selects it/);
  });

  it('takes a plain object as well as a Map', () => {
    const opt = sgd(Object.fromEntries(params), { lr: 0.1 });
    expect(opt.paramGroups[0].params).toHaveLength(5);
    opt.dispose();
  });
});

describe('step', () => {
  it('skips parameters without a gradient and ignores gradients of unknown names', () => {
    const w = tf.variable(tf.tensor([1, 2]));
    const b = tf.variable(tf.tensor([3]));
    const opt = sgd({ w, b }, { lr: 0.5 });
    const g = { w: tf.tensor([1, 1]), other: tf.tensor([9]) };
    opt.step(g);
    expect(Array.from(w.dataSync())).toEqual([0.5, 1.5]);
    expect(Array.from(b.dataSync())).toEqual([3]);
    expect(opt.stateOf('b')).toBeUndefined();
    for (const t of [w, b, g.w, g.other]) t.dispose();
    opt.dispose();
  });

  it('refuses a gradient of the wrong shape, and use after dispose', () => {
    const w = tf.variable(tf.tensor([1, 2]));
    const opt = adam({ w });
    const g = tf.tensor([1, 2, 3]);
    expect(() => opt.step({ w: g })).toThrow(GradientMismatchError);
    expect(() => opt.step({ w: g })).toThrow(/'w'.*shape \[3\] differs from the parameter's \[2\]/);
    opt.dispose();
    expect(() => opt.step({})).toThrow(OptimizerDisposedError);
    g.dispose();
    w.dispose();
  });
});
