import { useBackend } from '@seqzoo/backend';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { OptimizerConfigError } from './errors';
import { movingAverage } from './moving-average';

beforeAll(async () => {
  await useBackend('cpu');
});

/** Parameters that follow a known trajectory: θ_n = sin(n + i) for element i. */
function trajectory(n: number, size: number): number[] {
  return Array.from({ length: size }, (_, i) => Math.sin(n + i));
}

describe('movingAverage', () => {
  it('follows avg ← d·avg + (1 − d)·θ with d = min(decay, (1 + n) / (10 + n))', async () => {
    const w = tf.variable(tf.tensor(trajectory(0, 6), [2, 3]));
    const b = tf.variable(tf.tensor(trajectory(0, 3)));
    const ema = movingAverage(
      new Map([
        ['w', w],
        ['b', b],
      ]),
      { decay: 0.9 },
    );
    // Reference in float64, element by element.
    let expected = trajectory(0, 6);
    for (let n = 0; n < 30; n++) {
      const theta = trajectory(n + 1, 6);
      w.assign(tf.tensor(theta, [2, 3]));
      b.assign(tf.tensor(theta.slice(0, 3)));
      ema.update();
      const d = Math.min(0.9, (1 + n) / (10 + n));
      expected = expected.map((a, i) => d * a + (1 - d) * theta[i]);
    }
    expect(ema.updates).toBe(30);
    const snap = ema.snapshot();
    const got = await snap.get('w')!.data();
    got.forEach((g, i) => {
      expect(g).toBeCloseTo(expected[i], 5);
    });
    const gotB = await snap.get('b')!.data();
    gotB.forEach((g, i) => {
      expect(g).toBeCloseTo(expected[i], 5);
    });
    tf.dispose([...snap.values()]);
    ema.dispose();
    tf.dispose([w, b]);
  });

  it('swap() puts the average in and a second swap() takes it out again', async () => {
    const w = tf.variable(tf.tensor([1, 2, 3]));
    const ema = movingAverage({ w }, { decay: 0.5 });
    w.assign(tf.tensor([3, 4, 5]));
    ema.update(); // d = min(0.5, 1/10) = 0.1: 0.1·[1,2,3] + 0.9·[3,4,5]
    const average = [2.8, 3.8, 4.8];
    ema.swap();
    expect(ema.swapped).toBe(true);
    (await w.data()).forEach((x, i) => {
      expect(x).toBeCloseTo(average[i], 5);
    });
    // The snapshot is the average on either side of a swap.
    const snap = ema.snapshot();
    (await snap.get('w')!.data()).forEach((x, i) => {
      expect(x).toBeCloseTo(average[i], 5);
    });
    expect(() => ema.update()).toThrow(/call swap\(\) first/);
    ema.swap();
    expect(Array.from(await w.data())).toEqual([3, 4, 5]);
    const again = ema.snapshot();
    (await again.get('w')!.data()).forEach((x, i) => {
      expect(x).toBeCloseTo(average[i], 5);
    });
    tf.dispose([...snap.values(), ...again.values()]);
    ema.dispose();
    w.dispose();
  });

  it('keeps the number of tensors flat over updates and swaps, and frees them on dispose', () => {
    const w = tf.variable(tf.randomNormal([4, 4]));
    const before = tf.memory().numTensors;
    const ema = movingAverage({ w }, { decay: 0.99 });
    const afterCreate = tf.memory().numTensors;
    for (let i = 0; i < 50; i++) {
      ema.update();
      if (i % 10 === 0) {
        ema.swap();
        ema.swap();
      }
    }
    expect(tf.memory().numTensors).toBe(afterCreate);
    ema.dispose();
    expect(tf.memory().numTensors).toBe(before);
    expect(() => ema.update()).toThrow(/disposed/);
    w.dispose();
  });

  it('rejects a decay outside (0, 1) with a typed error', () => {
    const w = tf.variable(tf.zeros([2]));
    for (const decay of [0, 1, 1.5, -0.1, Number.NaN]) {
      expect(() => movingAverage({ w }, { decay })).toThrow(OptimizerConfigError);
    }
    expect(() => movingAverage({ w }, { decay: 2 })).toThrow(
      /Invalid decay: 2. Expected a number in \(0, 1\)/,
    );
    w.dispose();
  });
});
