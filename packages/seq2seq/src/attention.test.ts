import { useBackend } from '@seqzoo/backend';
import { expectNoLeaks } from '@seqzoo/backend/testing';
import { valueAndGrads } from '@seqzoo/layers';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { ATTENTION_TYPES, Attention, type AttentionType, tileMemory } from './attention';
import { Seq2SeqConfigError, Seq2SeqInputError } from './errors';
import { loadGoldens, maxError } from './test-utils';

beforeAll(async () => {
  await useBackend('cpu');
});

const goldens = loadGoldens();

function fromCase(c: any) {
  const att = new Attention({
    type: c.type,
    querySize: c.querySize,
    keySize: c.keySize,
    units: c.units,
    seed: 1,
  });
  const state: Record<string, tf.Tensor> = {};
  for (const [name, value] of Object.entries(c.params)) state[name] = tf.tensor(value as number[]);
  att.loadStateDict(state);
  tf.dispose(Object.values(state));
  return att;
}

/** sum(context · gc) + sum(weights · gw), the objective of the golden script. */
function objective(att: Attention, query: tf.Tensor2D, keys: tf.Tensor3D, c: any): tf.Scalar {
  const memory = att.prepare(keys, c.lengths);
  const { context, weights } = att.forward(query, memory);
  const value = tf.add(
    tf.sum(tf.mul(context, tf.tensor(c.gradContext))),
    tf.sum(tf.mul(weights, tf.tensor(c.gradWeights))),
  ) as tf.Scalar;
  memory.dispose();
  return value;
}

describe('Attention against PyTorch', () => {
  for (const c of goldens.attention) {
    it(`${c.type}: context, weights and gradients match torch ${goldens.torch}`, async () => {
      const att = fromCase(c);
      const query = tf.tensor2d(c.query);
      const keys = tf.tensor3d(c.keys);
      const memory = att.prepare(keys, c.lengths);
      const { context, weights } = att.forward(query, memory);
      expect(await maxError(context, c.context)).toBeLessThan(1e-5);
      expect(await maxError(weights, c.weights)).toBeLessThan(1e-5);
      tf.dispose([context, weights]);
      memory.dispose();

      const value = objective(att, query, keys, c);
      expect(Math.abs((await value.data())[0] - c.objective)).toBeLessThan(1e-5);
      const grads = new Map<string, tf.Tensor>();
      if (att.parameters().length > 0) {
        const r = valueAndGrads(att, () => objective(att, query, keys, c));
        r.value.dispose();
        for (const [name, g] of r.grads) grads.set(name, g);
      }
      expect([...grads.keys()].sort()).toEqual(Object.keys(c.params).sort());
      for (const [name, g] of grads) expect(await maxError(g, c.grads[name])).toBeLessThan(1e-5);
      const [gq, gk] = tf.grads((q: tf.Tensor, k: tf.Tensor) =>
        objective(att, q as tf.Tensor2D, k as tf.Tensor3D, c),
      )([query, keys]);
      expect(await maxError(gq, c.grads.query)).toBeLessThan(1e-5);
      expect(await maxError(gk, c.grads.keys)).toBeLessThan(1e-5);
      tf.dispose([value, ...grads.values(), gq, gk, query, keys]);
      att.dispose();
    });
  }
});

describe('Attention', () => {
  it('weights sum to 1 and are exactly 0 on padding, for every scorer', async () => {
    for (const type of ATTENTION_TYPES) {
      const att = new Attention({ type, querySize: 4, keySize: 4, seed: 3 });
      const keys = tf.randomNormal([3, 6, 4], 0, 3, 'float32', 5) as tf.Tensor3D;
      const query = tf.randomNormal([3, 4], 0, 3, 'float32', 6) as tf.Tensor2D;
      const memory = att.prepare(keys, [6, 1, 4]);
      const { context, weights } = att.forward(query, memory);
      const w = (await weights.array()) as number[][];
      expect(w[1].slice(1)).toEqual([0, 0, 0, 0, 0]);
      expect(w[2].slice(4)).toEqual([0, 0]);
      expect(w[1][0]).toBeCloseTo(1, 6);
      for (const row of w) expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
      // A single real position: the context is that key.
      const ctx = (await context.array()) as number[][];
      const k = (await keys.array()) as number[][][];
      for (let j = 0; j < 4; j++) expect(ctx[1][j]).toBeCloseTo(k[1][0][j], 5);
      tf.dispose([keys, query, context, weights]);
      memory.dispose();
      att.dispose();
    }
  });

  it('padding content does not change the result', async () => {
    const att = new Attention({ type: 'bahdanau', querySize: 3, keySize: 5, seed: 9 });
    const keys = tf.randomNormal([2, 4, 5], 0, 1, 'float32', 1) as tf.Tensor3D;
    const noisy = tf.tidy(() => {
      const pad = tf.concat([tf.zeros([2, 2, 5]), tf.mul(tf.ones([2, 2, 5]), 100)], 1);
      return tf.add(keys, tf.mul(pad, tf.tensor3d([[[0]], [[1]]]))) as tf.Tensor3D;
    });
    const query = tf.randomNormal([2, 3], 0, 1, 'float32', 2) as tf.Tensor2D;
    const out = [keys, noisy].map((k) => {
      const m = att.prepare(k, [4, 2]);
      const r = att.forward(query, m);
      m.dispose();
      return r;
    });
    expect(await maxError(out[1].context, await out[0].context.array())).toBeLessThan(1e-6);
    expect(await maxError(out[1].weights, await out[0].weights.array())).toBeLessThan(1e-6);
    tf.dispose([keys, noisy, query, ...out.flatMap((o) => [o.context, o.weights])]);
    att.dispose();
  });

  it('gradients agree with central finite differences (float32)', async () => {
    for (const type of ['bahdanau', 'general', 'concat'] as AttentionType[]) {
      const c = goldens.attention.find((g: any) => g.type === type);
      const att = fromCase(c);
      const query = tf.tensor2d(c.query);
      const keys = tf.tensor3d(c.keys);
      const f = () => objective(att, query, keys, c);
      const { value, grads } = valueAndGrads(att, f);
      value.dispose();
      const h = 1e-2;
      for (const [name, param] of att.namedParameters()) {
        const analytic = await grads.get(name)!.data();
        const base = await param.data();
        for (const i of [0, Math.floor(base.length / 2), base.length - 1]) {
          const at = (delta: number) => {
            const moved = Float32Array.from(base);
            moved[i] += delta;
            param.assign(tf.tensor(moved, param.shape));
            return tf.tidy(() => f().dataSync()[0]);
          };
          const numeric = (at(h) - at(-h)) / (2 * h);
          param.assign(tf.tensor(base, param.shape));
          expect(Math.abs(numeric - analytic[i])).toBeLessThan(2e-3 + 1e-2 * Math.abs(analytic[i]));
        }
      }
      tf.dispose([query, keys, ...grads.values()]);
      att.dispose();
    }
  });

  it('tileMemory repeats each row k times for beam search', async () => {
    const att = new Attention({ type: 'general', querySize: 3, keySize: 2, seed: 4 });
    const keys = tf.randomNormal([2, 3, 2], 0, 1, 'float32', 3) as tf.Tensor3D;
    const memory = att.prepare(keys, [3, 2]);
    const tiled = tileMemory(memory, 3);
    expect(tiled.values.shape).toEqual([6, 3, 2]);
    const query = tf.randomNormal([2, 3], 0, 1, 'float32', 8) as tf.Tensor2D;
    const repeated = tf.gather(query, [0, 0, 0, 1, 1, 1]) as tf.Tensor2D;
    const a = att.forward(query, memory);
    const b = att.forward(repeated, tiled);
    const expected = tf.gather(a.weights, [0, 0, 0, 1, 1, 1]);
    expect(await maxError(b.weights, await expected.array())).toBeLessThan(1e-6);
    tf.dispose([keys, query, repeated, a.context, a.weights, b.context, b.weights, expected]);
    memory.dispose();
    tiled.dispose();
    att.dispose();
  });

  it('prepare/forward/dispose leaves no tensors behind', async () => {
    const att = new Attention({ type: 'concat', querySize: 3, keySize: 2, seed: 4 });
    const keys = tf.ones([2, 3, 2]) as tf.Tensor3D;
    const query = tf.ones([2, 3]) as tf.Tensor2D;
    await expectNoLeaks(() => {
      for (let i = 0; i < 5; i++) {
        const m = att.prepare(keys, [3, 1]);
        const t = tileMemory(m, 2);
        const r = att.forward(query, m);
        tf.dispose([r.context, r.weights]);
        m.dispose();
        t.dispose();
      }
    });
    tf.dispose([keys, query]);
    att.dispose();
  });

  it('rejects bad options and inputs with typed errors', () => {
    expect(() => new Attention({ type: 'dot', querySize: 3, keySize: 4 })).toThrow(
      /dot attention needs querySize = keySize, got 3 and 4/,
    );
    expect(
      () => new Attention({ type: 'none' as AttentionType, querySize: 3, keySize: 3 }),
    ).toThrow(Seq2SeqConfigError);
    const att = new Attention({ type: 'dot', querySize: 2, keySize: 2 });
    const keys = tf.ones([1, 3, 2]) as tf.Tensor3D;
    expect(() => att.prepare(keys, [3, 3])).toThrow(Seq2SeqInputError);
    expect(() => att.prepare(keys, [0])).toThrow(/lengths must be integers in \[1, 3\]/);
    expect(() => att.prepare(keys, [4])).toThrow(/got 4/);
    const m = att.prepare(keys, [2]);
    const q = tf.ones([1, 3]) as tf.Tensor2D;
    expect(() => att.forward(q, m)).toThrow(/query \[batch, 2\], got \[1,3\]/);
    tf.dispose([keys, q]);
    m.dispose();
    att.dispose();
  });
});
