import { useBackend } from '@seqzoo/backend';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { adagrad } from './adagrad';
import { adam, adamw } from './adam';
import { clipGradNorm } from './clip';
import type { Optimizer } from './optimizer';
import { rmsprop } from './rmsprop';
import { cosineAnnealing, linearWarmup, sequential } from './schedules/index';
import { sgd } from './sgd';
import { BACKENDS } from './test-support';

type Factory = (p: Map<string, tf.Variable>) => Optimizer;

const factories: [string, Factory][] = [
  [
    'sgd',
    (p) =>
      sgd(p, {
        lr: 0.01,
        momentum: 0.9,
        nesterov: true,
        weightDecay: 1e-4,
      }),
  ],
  ['adam', (p) => adam(p, { amsgrad: true, weightDecay: 1e-4 })],
  ['adamw', (p) => adamw(p, { groups: [{ params: '*.bias', weightDecay: 0 }] })],
  ['rmsprop', (p) => rmsprop(p, { centered: true, momentum: 0.9 })],
  ['adagrad', (p) => adagrad(p, { lrDecay: 0.01 })],
];

describe.each(BACKENDS)('no tensor leaks (%s)', (backend) => {
  beforeAll(async () => {
    await useBackend(backend);
  });

  it.each(factories)(
    '%s: numTensors flat over 1,000 steps with clipping and a schedule',
    (_n, make) => {
      const params = new Map([
        ['layer.weight', tf.variable(tf.randomNormal([4, 3], 0, 1, 'float32', 1))],
        ['layer.bias', tf.variable(tf.zeros([3]))],
      ]);
      const grads = new Map([
        ['layer.weight', tf.randomNormal([4, 3], 0, 1, 'float32', 2)],
        ['layer.bias', tf.randomNormal([3], 0, 1, 'float32', 3)],
      ]);
      const opt = make(params);
      const sched = sequential(
        opt,
        [linearWarmup(opt, { totalIters: 100 }), cosineAnnealing(opt, { tMax: 900 })],
        {
          milestones: [100],
        },
      );
      const counts: number[] = [];
      for (let i = 0; i < 1000; i++) {
        const clipped = clipGradNorm(grads, 1.0);
        opt.step(clipped.grads);
        for (const t of clipped.grads.values()) t.dispose();
        sched.step();
        if (i === 0 || i === 999) counts.push(tf.memory().numTensors);
      }
      expect(counts[1]).toBe(counts[0]);
      expect(Number.isFinite(params.get('layer.weight')?.dataSync()[0])).toBe(true);
      const saved = opt.stateDict().tensors;
      const buffers = saved.size;
      for (const t of saved.values()) t.dispose();
      expect(buffers).toBeGreaterThan(0);
      const before = tf.memory().numTensors;
      opt.dispose();
      expect(before - tf.memory().numTensors).toBe(buffers);
      for (const t of [...params.values(), ...grads.values()]) t.dispose();
    },
  );
});
