import { useBackend } from '@seqzoo/backend';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { clipGradNorm, clipGradValue } from './clip';
import { NonFiniteGradientError, OptimizerConfigError } from './errors';
import { BACKENDS, disposeAll, golden, worstRatio } from './test-support';

interface Clip {
  shapes: Record<string, number[]>;
  grads: Record<string, number[]>;
  norm: {
    maxNorm: number;
    normType: number | 'Infinity';
    totalNorm: number;
    grads: Record<string, number[]>;
  }[];
  value: { clipValue: number; grads: Record<string, number[]> };
}

const G = golden<Clip>('clip.json');

function inputs(): Map<string, tf.Tensor> {
  return new Map(Object.entries(G.grads).map(([n, v]) => [n, tf.tensor(v, G.shapes[n])]));
}

describe.each(BACKENDS)('clipping against torch.nn.utils (%s)', (backend) => {
  beforeAll(async () => {
    await useBackend(backend);
  });

  it.each(G.norm.map((c) => [`maxNorm ${c.maxNorm}, norm ${c.normType}`, c] as const))(
    'clipGradNorm %s',
    (_n, c) => {
      const grads = inputs();
      const before = tf.memory().numTensors;
      const normType = c.normType === 'Infinity' ? Infinity : c.normType;
      const out = clipGradNorm(grads, c.maxNorm, normType);
      expect(tf.memory().numTensors - before).toBe(out.grads.size);
      expect(out.finite).toBe(true);
      expect(worstRatio([out.totalNorm], [c.totalNorm])).toBeLessThanOrEqual(1);
      for (const [n, t] of out.grads) {
        expect(worstRatio(t.dataSync(), c.grads[n]), n).toBeLessThanOrEqual(1);
      }
      // the inputs are left untouched
      for (const [n, t] of grads)
        expect(Array.from(t.dataSync())).toEqual(G.grads[n].map(Math.fround));
      disposeAll(out.grads);
      disposeAll(grads);
    },
  );

  it('clipGradValue', () => {
    const grads = inputs();
    const out = clipGradValue(Object.fromEntries(grads), G.value.clipValue);
    for (const [n, t] of out)
      expect(worstRatio(t.dataSync(), G.value.grads[n])).toBeLessThanOrEqual(1);
    disposeAll(out);
    disposeAll(grads);
  });

  it('reports NaN and Inf instead of spreading them, or throws when asked', () => {
    for (const bad of [Number.NaN, Infinity]) {
      const grads = inputs();
      const poisoned = tf.tensor([1, bad, 2]);
      grads.set('poisoned', poisoned);
      const out = clipGradNorm(grads, 1.0);
      expect(out.finite).toBe(false);
      expect(Number.isFinite(out.totalNorm)).toBe(false);
      // unscaled copies: the finite gradients were not multiplied by NaN
      expect(Array.from(out.grads.get('a')?.dataSync() ?? [])).toEqual(G.grads.a.map(Math.fround));
      disposeAll(out.grads);
      expect(() => clipGradNorm(grads, 1.0, 2, { errorIfNonfinite: true })).toThrow(
        NonFiniteGradientError,
      );
      disposeAll(grads);
    }
  });

  it('rejects a bad maxNorm or norm type', () => {
    expect(() => clipGradNorm({}, -1)).toThrow(OptimizerConfigError);
    expect(() => clipGradNorm({}, 1, 0)).toThrow(/Invalid normType: 0/);
    expect(() => clipGradValue({}, -1)).toThrow(/Invalid clipValue: -1/);
  });
});
