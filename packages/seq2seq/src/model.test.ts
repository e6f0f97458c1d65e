import { useBackend } from '@seqzoo/backend';
import { expectNoLeaks } from '@seqzoo/backend/testing';
import { valueAndGrads } from '@seqzoo/layers';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { Seq2SeqConfigError, Seq2SeqInputError } from './errors';
import { legacyWeightName, migrateLegacyWeights } from './legacy-weights';
import { disposeTensors, Seq2Seq, type Seq2SeqConfig } from './model';
import { loadGoldens, maxError } from './test-utils';

beforeAll(async () => {
  await useBackend('cpu');
});

const tiny: Seq2SeqConfig = {
  sourceVocabSize: 9,
  targetVocabSize: 7,
  embeddingSize: 4,
  hiddenSize: 6,
  dropout: 0,
  seed: 5,
};

describe('Encoder', () => {
  for (const cell of ['lstm', 'gru'] as const) {
    it(`${cell}: padding neither leaks into outputs nor changes them (bidirectional, 2 layers)`, async () => {
      const model = new Seq2Seq({ ...tiny, cell, numLayers: 2 });
      const alone = model.encode([[4, 5, 6]]);
      const padded = model.encode([
        [4, 5, 6],
        [7, 8, 4, 5, 6, 7],
      ]);
      const a = alone.memory!.values;
      const b = padded.memory!.values;
      expect(b.shape).toEqual([2, 6, 6]);
      const row = tf.slice(b, [0, 0, 0], [1, 3, 6]);
      expect(await maxError(row, await a.array())).toBeLessThan(1e-6);
      const tail = await tf.slice(b, [0, 3, 0], [1, 3, 6]).data();
      expect(Math.max(...tail.map(Math.abs))).toBe(0);
      for (let l = 0; l < 2; l++) {
        const h0 = tf.slice(padded.state.layers[l].h, [0, 0], [1, 6]);
        expect(await maxError(h0, await alone.state.layers[l].h.array())).toBeLessThan(1e-6);
      }
      tf.dispose(row);
      alone.dispose();
      padded.dispose();
      model.dispose();
    });
  }
});

describe('Seq2Seq against PyTorch', () => {
  for (const c of loadGoldens().model) {
    it(`${c.config.cell} + ${c.config.attention}: logits, label-smoothed loss and every gradient match torch`, async () => {
      const model = new Seq2Seq({ ...c.config, seed: 1 });
      // The goldens hold the weights under the names of seqzoo < 0.2 (a committed fixture of an
      // old model): migrated, they must load strictly and compute what torch computed.
      const old = new Map<string, tf.Tensor>();
      for (const [name, value] of Object.entries(c.params))
        old.set(name, tf.tensor(value as number[]));
      const state = migrateLegacyWeights(old, model.config.padId);
      model.loadStateDict(state); // strict: every name of today's model, nothing else
      tf.dispose([...old.values(), ...state.values()]);
      const batch = model.tensors(c.sources, c.targets);
      const logits = model.logits(batch);
      expect(await maxError(logits, c.logits)).toBeLessThan(1e-5);
      const { value, grads } = valueAndGrads(model, () =>
        model.loss(batch, { labelSmoothing: c.labelSmoothing }),
      );
      expect(Math.abs((await value.data())[0] - c.loss)).toBeLessThan(1e-5);
      const expected = new Map(
        Object.entries(c.grads).map(([name, g]) => [legacyWeightName(name), g] as const),
      );
      expect([...grads.keys()].sort()).toEqual([...expected.keys()].sort());
      for (const [name, g] of grads) {
        // torch's padding row gradient is zero (the old model masked it): so is ours.
        expect(await maxError(g, expected.get(name)), name).toBeLessThan(1e-5);
      }
      tf.dispose([logits, value, ...grads.values()]);
      disposeTensors(batch);
      model.dispose();
    });
  }
});

describe('Seq2Seq', () => {
  const variants: Partial<Seq2SeqConfig>[] = [
    { cell: 'lstm', attention: 'general' },
    { cell: 'gru', attention: 'bahdanau', bidirectional: false },
    { cell: 'lstm', attention: 'dot', numLayers: 2 },
    { cell: 'gru', attention: 'concat', inputFeeding: false },
    { cell: 'lstm', attention: 'none' },
  ];
  for (const v of variants) {
    it(`${JSON.stringify(v)}: loss is finite and every parameter gets a gradient`, async () => {
      const model = new Seq2Seq({ ...tiny, ...v });
      const batch = model.tensors(
        [
          [4, 5, 6, 7],
          [8, 4],
        ],
        [[4, 5, 6], [6]],
      );
      const logits = model.logits(batch);
      expect(logits.shape).toEqual([2, 4, 7]);
      logits.dispose();
      const { value, grads } = valueAndGrads(model, () => model.loss(batch));
      const loss = (await value.data())[0];
      expect(Number.isFinite(loss)).toBe(true);
      // A fresh model is near uniform over 7 classes.
      expect(Math.abs(loss - Math.log(7))).toBeLessThan(0.5);
      expect([...grads.keys()].sort()).toEqual([...model.namedParameters().keys()].sort());
      for (const [name, g] of grads) {
        const norm = (await tf.norm(g).data())[0];
        if (!name.endsWith('bias')) expect(norm, name).toBeGreaterThan(0);
      }
      tf.dispose([value, ...grads.values()]);
      disposeTensors(batch);
      model.dispose();
    });
  }

  it('the loss gradient agrees with central finite differences', async () => {
    const model = new Seq2Seq({ ...tiny, attention: 'bahdanau' });
    const batch = model.tensors(
      [[4, 5, 6], [7]],
      [
        [4, 5],
        [6, 5, 4],
      ],
    );
    const f = () => model.loss(batch, { labelSmoothing: 0.1 });
    const { value, grads } = valueAndGrads(model, f);
    value.dispose();
    const h = 1e-2;
    for (const name of [
      'encoder.embedding.weight',
      'encoder.rnn.l0Reverse.weightHh',
      'bridge.c.weight',
      'decoder.rnn.l0.weightIh',
      'attention.v',
      'decoder.combine.weight',
      'decoder.out.bias',
    ]) {
      const param = model.namedParameters().get(name)!;
      const analytic = await grads.get(name)!.data();
      const base = await param.data();
      let i = 0;
      for (let j = 0; j < analytic.length; j++)
        if (Math.abs(analytic[j]) > Math.abs(analytic[i])) i = j;
      const at = (delta: number) => {
        const moved = Float32Array.from(base);
        moved[i] += delta;
        param.assign(tf.tensor(moved, param.shape));
        return tf.tidy(() => f().dataSync()[0]);
      };
      const numeric = (at(h) - at(-h)) / (2 * h);
      param.assign(tf.tensor(base, param.shape));
      expect(Math.abs(numeric - analytic[i]), name).toBeLessThan(
        1e-3 + 2e-2 * Math.abs(analytic[i]),
      );
    }
    tf.dispose([...grads.values()]);
    disposeTensors(batch);
    model.dispose();
  });

  it('trains without leaking tensors and the loss goes down', async () => {
    const model = new Seq2Seq({ ...tiny, dropout: 0.2 });
    const optimizer = tf.train.adam(0.05);
    const batch = model.tensors(
      [
        [4, 5, 6],
        [7, 8],
      ],
      [
        [4, 5, 6],
        [2, 5],
      ],
    );
    const step = () => {
      const loss = optimizer.minimize(() => model.loss(batch), true, model.parameters());
      const value = loss!.dataSync()[0];
      loss!.dispose();
      return value;
    };
    const first = step();
    let last = first;
    await expectNoLeaks(() => {
      for (let i = 0; i < 15; i++) last = step();
    }, 'training steps');
    expect(last).toBeLessThan(first / 2);
    disposeTensors(batch);
    optimizer.dispose();
    model.dispose();
  });

  it('rejects bad configs and inputs with typed errors', () => {
    expect(() => new Seq2Seq({ ...tiny, hiddenSize: 5 })).toThrow(/must be even; got 5/);
    expect(() => new Seq2Seq({ ...tiny, attention: 'luong' as 'dot' })).toThrow(Seq2SeqConfigError);
    expect(() => new Seq2Seq({ ...tiny, cell: 'rnn' as 'gru' })).toThrow(/'cell'.*got 'rnn'/);
    expect(() => new Seq2Seq({ ...tiny, eosId: 7 })).toThrow(/eosId/);
    expect(() => new Seq2Seq({ ...tiny, dropout: 1 })).toThrow(/dropout/);
    const model = new Seq2Seq(tiny);
    expect(() => model.tensors([[4, 9]], [[1]])).toThrow(/id 9, outside the vocabulary \[0, 9\)/);
    expect(() => model.tensors([[]], [[1]])).toThrow(Seq2SeqInputError);
    expect(() => model.tensors([[4]], [])).toThrow(/1 sources and 0 targets/);
    model.dispose();
  });
});
