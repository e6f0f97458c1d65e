import { useBackend } from '@seqzoo/backend';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  BACKENDS,
  disposeAll,
  golden,
  makeOptimizer,
  makeParams,
  type OptimizerCase,
  worstRatio,
} from './test-support';

interface Fixed {
  steps: number;
  shapes: Record<string, number[]>;
  init: Record<string, number[]>;
  grads: Record<string, number[]>[];
  cases: OptimizerCase[];
}

const fixed = golden<Fixed>('optimizers.json');

function gradsAt(step: number, c: OptimizerCase): Map<string, tf.Tensor> {
  const out = new Map<string, tf.Tensor>();
  for (const [n, v] of Object.entries(fixed.grads[step - 1])) {
    if (c.skip?.[n]?.includes(step)) continue;
    out.set(n, tf.tensor(v, fixed.shapes[n], 'float32'));
  }
  return out;
}

describe.each(BACKENDS)(
  'optimizers against torch.optim on a fixed gradient sequence (%s)',
  (backend) => {
    beforeAll(async () => {
      await useBackend(backend);
    });

    it.each(fixed.cases.map((c) => [c.name, c] as const))(
      '%s matches after every step',
      (_name, c) => {
        const params = makeParams(fixed.shapes, fixed.init);
        const opt = makeOptimizer(c, params);
        const ratios: number[] = [];
        for (let step = 1; step <= fixed.steps; step++) {
          const grads = gradsAt(step, c);
          opt.step(grads);
          disposeAll(grads);
          for (const [n, p] of params) ratios.push(worstRatio(p.dataSync(), c.params[step - 1][n]));
        }
        opt.dispose();
        disposeAll(params);
        expect(Math.max(...ratios)).toBeLessThanOrEqual(1);
      },
    );
  },
);
