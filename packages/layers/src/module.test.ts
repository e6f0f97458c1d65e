import { useBackend } from '@seqzoo/backend';
import { expectNoLeaks } from '@seqzoo/backend/testing';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { Dense } from './dense';
import { StateDictError } from './errors';
import { Module } from './module';
import { valueAndGrads } from './value-and-grads';

class Mlp extends Module {
  readonly hidden: Dense;
  readonly out: Dense;
  constructor(seed: number) {
    super();
    this.hidden = this.registerModule('hidden', new Dense({ inputSize: 3, outputSize: 4, seed }));
    this.out = this.registerModule(
      'out',
      new Dense({ inputSize: 4, outputSize: 2, seed: seed + 1 }),
    );
  }
  forward(x: tf.Tensor): tf.Tensor {
    return tf.tidy(() => this.out.forward(tf.relu(this.hidden.forward(x))));
  }
}

beforeAll(async () => {
  await useBackend('cpu');
});

describe('Module', () => {
  it('names parameters by dotted path in registration order', () => {
    const m = new Mlp(1);
    expect([...m.namedParameters().keys()]).toEqual([
      'hidden.weight',
      'hidden.bias',
      'out.weight',
      'out.bias',
    ]);
    expect(m.parameters()).toHaveLength(4);
    expect(m.numParameters()).toBe(3 * 4 + 4 + 4 * 2 + 2);
    const names = m.parameters().map((v) => v.name);
    expect(new Set(names).size).toBe(4);
    m.dispose();
  });

  it('gives engine-unique variable names to two identical modules', () => {
    const a = new Mlp(1);
    const b = new Mlp(1);
    const names = [...a.parameters(), ...b.parameters()].map((v) => v.name);
    expect(new Set(names).size).toBe(8);
    a.dispose();
    b.dispose();
  });

  it('propagates train/eval to children', () => {
    const m = new Mlp(1);
    expect(m.training).toBe(true);
    m.eval();
    expect(m.hidden.training).toBe(false);
    m.train();
    expect(m.out.training).toBe(true);
    m.dispose();
  });

  it('freezes a subtree with trainable = false, which leaves namedParameters but stays in stateDict', () => {
    const m = new Mlp(1);
    m.hidden.trainable = false;
    expect([...m.namedParameters().keys()]).toEqual(['out.weight', 'out.bias']);
    expect([...m.stateDict().keys()]).toHaveLength(4);
    expect(m.trainable).toBe(false);
    m.dispose();
  });

  it('round-trips stateDict into another module', async () => {
    const a = new Mlp(1);
    const b = new Mlp(2);
    const x = tf.tensor2d([
      [1, 2, 3],
      [-1, 0.5, 2],
    ]);
    const ya = a.forward(x);
    const yb0 = b.forward(x);
    expect(Array.from(await ya.data())).not.toEqual(Array.from(await yb0.data()));
    b.loadStateDict(a.stateDict());
    const yb = b.forward(x);
    expect(Array.from(await yb.data())).toEqual(Array.from(await ya.data()));
    // Loading from a record works too, and the copy survives disposing the source.
    const snapshot = Object.fromEntries([...a.stateDict()].map(([k, v]) => [k, tf.clone(v)]));
    a.dispose();
    b.loadStateDict(snapshot);
    tf.dispose(Object.values(snapshot));
    expect(Array.from(await b.forward(x).data())).toEqual(Array.from(await ya.data()));
    tf.dispose([x, ya, yb0, yb]);
    b.dispose();
  });

  it('rejects a wrong shape, naming the parameter, and writes nothing', async () => {
    const m = new Mlp(1);
    const before = await m.out.bias!.data();
    const state = new Map(m.stateDict());
    state.set('out.bias', tf.zeros([3]));
    state.set('hidden.bias', tf.ones([4]));
    const error = (() => {
      try {
        m.loadStateDict(state);
      } catch (e) {
        return e as StateDictError;
      }
    })();
    expect(error).toBeInstanceOf(StateDictError);
    expect(error!.parameter).toBe('out.bias');
    expect(error!.message).toMatch(/'out\.bias' has shape \[3\], expected \[2\]/);
    expect(Array.from(await m.hidden.bias!.data())).toEqual([0, 0, 0, 0]);
    expect(Array.from(await m.out.bias!.data())).toEqual(Array.from(before));
    m.dispose();
  });

  it('rejects missing and unexpected entries unless strict is false', () => {
    const m = new Mlp(1);
    const partial = new Map(m.stateDict());
    partial.delete('out.weight');
    expect(() => m.loadStateDict(partial)).toThrow(/missing 'out\.weight'/);
    m.loadStateDict(partial, { strict: false });
    const extra = new Map(m.stateDict());
    const stray = tf.zeros([1]);
    extra.set('encoder.x', stray);
    expect(() => m.loadStateDict(extra)).toThrow(StateDictError);
    m.loadStateDict(extra, { strict: false });
    stray.dispose();
    m.dispose();
  });

  it('disposes every variable', () => {
    const before = tf.memory().numTensors;
    const m = new Mlp(3);
    expect(tf.memory().numTensors).toBe(before + 4);
    m.dispose();
    m.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('valueAndGrads returns gradients by dotted path, equal to tf.variableGrads', async () => {
    const m = new Mlp(4);
    const x = tf.tensor2d([[0.3, -1, 2]]);
    const loss = () => tf.sum(tf.square(m.forward(x))) as tf.Scalar;
    await expectNoLeaks(async () => {
      const { value, grads } = valueAndGrads(m, loss);
      const ref = tf.variableGrads(loss, m.parameters());
      expect([...grads.keys()]).toEqual([...m.namedParameters().keys()]);
      expect(await value.data()).toEqual(await ref.value.data());
      for (const [path, v] of m.namedParameters()) {
        expect(Array.from(await grads.get(path)!.data())).toEqual(
          Array.from(await ref.grads[v.name].data()),
        );
      }
      tf.dispose([value, ref.value, ...grads.values(), ...Object.values(ref.grads)]);
    });
    x.dispose();
    m.dispose();
  });
});
