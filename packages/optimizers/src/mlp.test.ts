import '@tensorflow/tfjs-core/dist/register_all_gradients';
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

interface Mlp {
  steps: number;
  x: number[];
  y: number[];
  xShape: [number, number];
  yShape: [number, number];
  shapes: Record<string, number[]>;
  init: Record<string, number[]>;
  cases: (OptimizerCase & { losses: number[]; grads: Record<string, number[]>[] })[];
}

const mlp = golden<Mlp>('mlp.json');
const NAMES = ['fc1.weight', 'fc1.bias', 'fc2.weight', 'fc2.bias'];

/** The golden's loss: mean((tanh(x W1ᵀ + b1) W2ᵀ + b2 − y)²), torch's Linear layout (out × in). */
function lossAndGrads(
  params: Map<string, tf.Variable>,
  x: tf.Tensor2D,
  y: tf.Tensor2D,
): { loss: number; grads: Map<string, tf.Tensor> } {
  const f = (w1: tf.Tensor, b1: tf.Tensor, w2: tf.Tensor, b2: tf.Tensor) => {
    const h = tf.tanh(tf.add(tf.matMul(x, w1 as tf.Tensor2D, false, true), b1));
    const out = tf.add(tf.matMul(h, w2 as tf.Tensor2D, false, true), b2);
    return tf.mean(tf.square(tf.sub(out, y))) as tf.Scalar;
  };
  const { value, grads } = tf.valueAndGrads(f)(NAMES.map((n) => params.get(n) as tf.Tensor));
  const loss = value.dataSync()[0];
  value.dispose();
  return { loss, grads: new Map(NAMES.map((n, i) => [n, grads[i]])) };
}

describe.each(BACKENDS)(
  'a tiny MLP trained by each optimizer, gradients from tfjs (%s)',
  (backend) => {
    beforeAll(async () => {
      await useBackend(backend);
    });

    it.each(mlp.cases.map((c) => [c.name, c] as const))(
      "%s with torch's gradients matches every step",
      (_n, c) => {
        const params = makeParams(mlp.shapes, mlp.init);
        const opt = makeOptimizer(c, params);
        const ratios: number[] = [];
        for (let step = 1; step <= mlp.steps; step++) {
          const grads = new Map(
            NAMES.map((n) => [n, tf.tensor(c.grads[step - 1][n], mlp.shapes[n], 'float32')]),
          );
          opt.step(grads);
          disposeAll(grads);
          for (const [n, p] of params) ratios.push(worstRatio(p.dataSync(), c.params[step - 1][n]));
        }
        opt.dispose();
        disposeAll(params);
        expect(Math.max(...ratios)).toBeLessThanOrEqual(1);
      },
    );

    // tfjs and torch sum the matmuls in different orders, so the gradients differ by a few ulps and
    // the parameters drift by up to ~5e-7 absolute over 25 steps: checked at 1e-6 rel + 1e-6 abs.
    it.each(mlp.cases.map((c) => [c.name, c] as const))(
      '%s with tfjs gradients follows torch for 25 steps',
      (_n, c) => {
        const x = tf.tensor2d(mlp.x, mlp.xShape);
        const y = tf.tensor2d(mlp.y, mlp.yShape);
        const params = makeParams(mlp.shapes, mlp.init);
        const opt = makeOptimizer(c, params);
        const ratios: number[] = [];
        const lossRatios: number[] = [];
        for (let step = 1; step <= mlp.steps; step++) {
          const { loss, grads } = lossAndGrads(params, x, y);
          lossRatios.push(worstRatio([loss], [c.losses[step - 1]], 1e-6, 1e-6));
          opt.step(grads);
          disposeAll(grads);
          for (const [n, p] of params) {
            ratios.push(worstRatio(p.dataSync(), c.params[step - 1][n], 1e-6, 1e-6));
          }
        }
        expect(c.losses[mlp.steps - 1]).toBeLessThan(c.losses[0]); // the golden really trains
        opt.dispose();
        disposeAll(params);
        x.dispose();
        y.dispose();
        expect(Math.max(...lossRatios)).toBeLessThanOrEqual(1);
        expect(Math.max(...ratios)).toBeLessThanOrEqual(1);
      },
    );
  },
);
