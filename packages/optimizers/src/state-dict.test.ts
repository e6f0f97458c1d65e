import { useBackend } from '@seqzoo/backend';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { StateDictError } from './errors';
import type { OptimizerStateDict } from './optimizer';
import {
  BACKENDS,
  disposeAll,
  golden,
  makeOptimizer,
  makeParams,
  type OptimizerCase,
} from './test-support';

interface Fixed {
  steps: number;
  shapes: Record<string, number[]>;
  init: Record<string, number[]>;
  grads: Record<string, number[]>[];
  cases: OptimizerCase[];
}

const fixed = golden<Fixed>('optimizers.json');

function stepWith(opt: { step(g: Map<string, tf.Tensor>): void }, c: OptimizerCase, step: number) {
  const grads = new Map<string, tf.Tensor>();
  for (const [n, v] of Object.entries(fixed.grads[step - 1])) {
    if (!c.skip?.[n]?.includes(step)) grads.set(n, tf.tensor(v, fixed.shapes[n]));
  }
  opt.step(grads);
  disposeAll(grads);
}

/** What a checkpoint does: JSON for the metadata, raw float32 bytes for the tensors. */
function throughBytes(dict: OptimizerStateDict): OptimizerStateDict {
  const meta = JSON.parse(JSON.stringify(dict.meta));
  const tensors = new Map<string, tf.Tensor>();
  for (const [k, t] of dict.tensors) {
    const bytes = new Uint8Array((t.dataSync() as Float32Array).slice().buffer);
    tensors.set(k, tf.tensor(new Float32Array(bytes.buffer), t.shape, 'float32'));
    t.dispose();
  }
  return { meta, tensors };
}

describe.each(BACKENDS)(
  'save after step 10, load into a fresh optimizer, continue to 25 (%s)',
  (backend) => {
    beforeAll(async () => {
      await useBackend(backend);
    });

    it.each(fixed.cases.map((c) => [c.name, c] as const))('%s resumes bit for bit', (_n, c) => {
      const whole = makeParams(fixed.shapes, fixed.init);
      const optA = makeOptimizer(c, whole);
      for (let s = 1; s <= fixed.steps; s++) stepWith(optA, c, s);

      const first = makeParams(fixed.shapes, fixed.init);
      const optB = makeOptimizer(c, first);
      for (let s = 1; s <= 10; s++) stepWith(optB, c, s);
      const saved = throughBytes(optB.stateDict());
      const weights = new Map([...first].map(([n, p]) => [n, Array.from(p.dataSync())]));
      optB.dispose();
      disposeAll(first);

      const resumed = new Map(
        [...weights].map(([n, v]) => [n, tf.variable(tf.tensor(v, fixed.shapes[n]))] as const),
      );
      const optC = makeOptimizer(c, resumed);
      optC.loadStateDict(saved);
      disposeAll(saved.tensors); // the optimizer keeps its own copies
      for (let s = 11; s <= fixed.steps; s++) stepWith(optC, c, s);

      for (const [n, p] of whole) {
        expect(Array.from(resumed.get(n)?.dataSync() ?? []), n).toEqual(Array.from(p.dataSync()));
      }
      for (const o of [optA, optC]) o.dispose();
      disposeAll(whole);
      disposeAll(resumed);
    });
  },
);

describe('state dict contents', () => {
  beforeAll(async () => {
    await useBackend('cpu');
  });

  it('names buffers state.<param>.<buffer>, keeps step counts in JSON and refuses a foreign state', () => {
    const c = fixed.cases.find((x) => x.name === 'adam-skip') as OptimizerCase;
    const params = makeParams(fixed.shapes, fixed.init);
    const opt = makeOptimizer(c, params);
    for (let s = 1; s <= 4; s++) stepWith(opt, c, s);
    const dict = opt.stateDict();
    expect([...dict.tensors.keys()].sort()).toEqual([
      'state.layer.bias.exp_avg',
      'state.layer.bias.exp_avg_sq',
      'state.layer.weight.exp_avg',
      'state.layer.weight.exp_avg_sq',
    ]);
    // the bias had no gradient at steps 3 and 4: torch leaves its step count at 2
    expect(dict.meta.state['layer.weight'].step).toBe(4);
    expect(dict.meta.state['layer.bias'].step).toBe(2);
    expect(dict.meta.groups[0]).toMatchObject({ params: ['layer.weight', 'layer.bias'] });
    expect(JSON.parse(JSON.stringify(dict.meta))).toEqual(dict.meta);

    const other = makeOptimizer({ ...c, type: 'adamw' }, params);
    expect(() => other.loadStateDict(dict)).toThrow(StateDictError);
    expect(() => other.loadStateDict(dict)).toThrow(/saved by adam, this optimizer is adamw/);
    const wrong = makeOptimizer(c, params);
    const bad = new Map(dict.tensors);
    bad.set('state.layer.bias.exp_avg', tf.zeros([3]));
    expect(() => wrong.loadStateDict({ meta: dict.meta, tensors: bad })).toThrow(/has shape \[3\]/);
    bad.get('state.layer.bias.exp_avg')?.dispose();
    disposeAll(dict.tensors);
    for (const o of [opt, other, wrong]) o.dispose();
    disposeAll(params);
  });
});
