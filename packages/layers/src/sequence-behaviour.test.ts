import { useBackend } from '@seqzoo/backend';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { InputShapeError, LayerConfigError } from './errors';
import { GRU } from './gru';
import { LSTM } from './lstm';
import { RNN } from './rnn';

beforeAll(async () => {
  await useBackend('cpu');
});

const close = async (a: tf.Tensor, b: tf.Tensor, tol = 1e-6) => {
  expect(a.shape).toEqual(b.shape);
  const d = await tf.max(tf.abs(tf.sub(a, b))).data();
  expect(d[0]).toBeLessThanOrEqual(tol);
};
const input = (shape: number[], seed = 1) => tf.randomNormal(shape, 0, 1, 'float32', seed);

describe('sequence layers', () => {
  it('names parameters like PyTorch, per layer and direction', () => {
    const lstm = new LSTM({ inputSize: 3, hiddenSize: 4, numLayers: 2, bidirectional: true });
    expect([...lstm.namedParameters().keys()]).toEqual(
      ['l0', 'l0Reverse', 'l1', 'l1Reverse'].flatMap((c) =>
        ['weightIh', 'weightHh', 'biasIh', 'biasHh'].map((p) => `${c}.${p}`),
      ),
    );
    expect(lstm.namedParameters().get('l1.weightIh')!.shape).toEqual([8, 16]);
    expect(lstm.namedParameters().get('l0.weightHh')!.shape).toEqual([4, 16]);
    lstm.dispose();
  });

  it('defaults to Keras init: orthogonal recurrent weights and forget-gate bias 1', async () => {
    const lstm = new LSTM({ inputSize: 3, hiddenSize: 4, seed: 2 });
    const b = await lstm.cells[0].biasIh!.data();
    expect(Array.from(b)).toEqual([0, 0, 0, 0, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0]);
    const w = lstm.cells[0].weightHh;
    const wwt = tf.matMul(w, w, false, true);
    await close(wwt, tf.eye(4), 1e-5);
    const torch = new LSTM({ inputSize: 3, hiddenSize: 4, init: 'pytorch', seed: 2 });
    const bound = 1 / Math.sqrt(4);
    for (const v of torch.parameters()) {
      expect(Math.max(...(await v.data()).map(Math.abs))).toBeLessThanOrEqual(bound);
    }
    const noForget = new LSTM({ inputSize: 3, hiddenSize: 4, unitForgetBias: false });
    expect(Array.from(await noForget.cells[0].biasIh!.data()).every((v) => v === 0)).toBe(true);
    tf.dispose(wwt);
    [lstm, torch, noForget].forEach((m) => {
      m.dispose();
    });
  });

  it('returnSequences: false returns the merged final states of the top layer', async () => {
    const opts = { inputSize: 3, hiddenSize: 4, numLayers: 2, bidirectional: true, seed: 3 };
    const all = new GRU(opts);
    const last = new GRU({ ...opts, returnSequences: false });
    last.loadStateDict(all.stateDict());
    const x = input([2, 5, 3]);
    const a = all.forward(x, { lengths: [5, 3] });
    const b = last.forward(x, { lengths: [5, 3] });
    expect(b.output.shape).toEqual([2, 8]);
    const [, , fwd, bwd] = tf.unstack(a.state.h);
    await close(b.output, tf.concat([fwd, bwd], 1));
    // The forward half equals the output at each sequence's last valid step.
    const seq = a.output;
    const lastSteps = tf.stack([
      tf.reshape(tf.slice(seq, [0, 4, 0], [1, 1, 4]), [4]),
      tf.reshape(tf.slice(seq, [1, 2, 0], [1, 1, 4]), [4]),
    ]);
    await close(lastSteps, fwd);
    all.dispose();
    last.dispose();
  });

  it('lengths: outputs are zero past each length and the state is the last valid one', async () => {
    const lstm = new LSTM({ inputSize: 3, hiddenSize: 4, seed: 4 });
    const x = input([2, 6, 3]);
    const padded = lstm.forward(x, { lengths: tf.tensor1d([6, 3], 'int32') });
    const short = lstm.forward(tf.slice(x, [1, 0, 0], [1, 3, 3]));
    await close(tf.slice(padded.output, [1, 3, 0], [1, 3, 4]), tf.zeros([1, 3, 4]), 0);
    await close(tf.slice(padded.output, [1, 0, 0], [1, 3, 4]), short.output);
    await close(tf.slice(padded.state.c, [0, 1, 0], [1, 1, 4]), short.state.c);
    lstm.dispose();
  });

  it('goBackwards reads each sequence from its end; outputs stay aligned with the input', async () => {
    const fwd = new RNN({ inputSize: 2, hiddenSize: 3, seed: 5 });
    const back = new RNN({ inputSize: 2, hiddenSize: 3, seed: 5, goBackwards: true });
    back.loadStateDict(fwd.stateDict());
    const x = input([1, 4, 2]);
    const a = back.forward(x);
    const b = fwd.forward(tf.reverse(x, 1));
    await close(a.output, tf.reverse(b.output, 1));
    await close(a.state.h, b.state.h);
    fwd.dispose();
    back.dispose();
  });

  it("mergeMode 'sum' adds the two directions", async () => {
    const cat = new LSTM({ inputSize: 2, hiddenSize: 3, bidirectional: true, seed: 6 });
    const sum = new LSTM({
      inputSize: 2,
      hiddenSize: 3,
      bidirectional: true,
      mergeMode: 'sum',
      seed: 6,
    });
    sum.loadStateDict(cat.stateDict());
    const x = input([2, 4, 2]);
    const a = cat.forward(x).output;
    const b = sum.forward(x).output;
    expect(b.shape).toEqual([2, 4, 3]);
    const [f, r] = tf.split(a, 2, 2);
    await close(b, tf.add(f, r));
    cat.dispose();
    sum.dispose();
  });

  it('takes an initial state and rejects one of the wrong shape', async () => {
    const gru = new GRU({ inputSize: 2, hiddenSize: 3, numLayers: 2, seed: 7 });
    const x = input([2, 3, 2]);
    const first = gru.forward(tf.slice(x, [0, 0, 0], [2, 2, 2]));
    const rest = gru.forward(tf.slice(x, [0, 2, 0], [2, 1, 2]), { initialState: first.state });
    const whole = gru.forward(x);
    await close(rest.state.h, whole.state.h);
    expect(() => gru.forward(x, { initialState: { h: tf.zeros([1, 2, 3]) } })).toThrow(
      /state 'h' must have shape \[2,2,3\]/,
    );
    gru.dispose();
  });

  it('the stateful stepper equals running the whole sequence', async () => {
    const lstm = new LSTM({ inputSize: 3, hiddenSize: 4, numLayers: 2, seed: 8 }).eval();
    const x = input([2, 5, 3]);
    const whole = lstm.forward(x);
    const stepper = lstm.createStepper({ batchSize: 2 });
    const outs = tf.unstack(x, 1).map((xt) => stepper.step(xt));
    await close(tf.stack(outs, 1), whole.output, 1e-6);
    await close(stepper.state!.h, whole.state.h, 1e-6);
    await close(stepper.state!.c, whole.state.c, 1e-6);
    stepper.reset();
    expect(stepper.state).toBeUndefined();
    stepper.dispose();
    const bi = new LSTM({ inputSize: 3, hiddenSize: 4, bidirectional: true });
    expect(() => bi.step(tf.zeros([1, 3]))).toThrow(LayerConfigError);
    lstm.dispose();
    bi.dispose();
  });

  it('inter-layer dropout is seeded and off in eval mode', async () => {
    const opts = { inputSize: 3, hiddenSize: 4, numLayers: 2, dropout: 0.5, seed: 9 };
    const a = new LSTM(opts);
    const b = new LSTM(opts);
    const x = input([2, 4, 3]);
    await close(a.forward(x).output, b.forward(x).output, 0);
    const trainOut = a.forward(x).output;
    a.eval();
    const e1 = a.forward(x).output;
    const e2 = a.forward(x).output;
    await close(e1, e2, 0);
    const d = await tf.max(tf.abs(tf.sub(e1, trainOut))).data();
    expect(d[0]).toBeGreaterThan(0);
    a.dispose();
    b.dispose();
  });

  it('rejects bad options and inputs with messages that say what to do', () => {
    expect(() => new LSTM({ inputSize: 3, hiddenSize: 0 })).toThrow(/hiddenSize.*got 0/);
    expect(() => new LSTM({ inputSize: 3, hiddenSize: 2, dropout: 1.5 })).toThrow(LayerConfigError);
    expect(
      () => new GRU({ inputSize: 3, hiddenSize: 2, bidirectional: true, goBackwards: true }),
    ).toThrow(/goBackwards/);
    const rnn = new RNN({ inputSize: 3, hiddenSize: 2 });
    expect(() => rnn.forward(tf.zeros([2, 3]))).toThrow(InputShapeError);
    expect(() => rnn.forward(tf.zeros([2, 4, 5]))).toThrow(/\[batch, time, 3\]/);
    expect(() => rnn.forward(tf.zeros([2, 4, 3]), { lengths: [4] })).toThrow(
      /one length per sequence/,
    );
    expect(() => rnn.forward(tf.zeros([2, 4, 3]), { lengths: [4, 5] })).toThrow(/lengths\[1\] = 5/);
    rnn.dispose();
  });
});

describe('step under a gradient tape', () => {
  it('step() differentiates w.r.t. the weights (plain cell step), in eval mode too', () => {
    const lstm = new LSTM({ inputSize: 2, hiddenSize: 3, numLayers: 2, seed: 10 }).eval();
    const x = tf.ones([1, 2]);
    const f = () => {
      const { output, state } = lstm.step(x);
      tf.dispose(Object.values(state));
      return tf.sum(output) as tf.Scalar;
    };
    const { value, grads } = tf.variableGrads(f, lstm.parameters());
    expect(Object.keys(grads)).toHaveLength(8);
    // A weight change is picked up by the cached step weights.
    const before = lstm.step(x).output.dataSync()[0];
    lstm.cells[1].biasIh!.assign(tf.add(lstm.cells[1].biasIh!, 1));
    const after = lstm.step(x).output.dataSync()[0];
    expect(after).not.toBe(before);
    tf.dispose([value, ...Object.values(grads)]);
    lstm.dispose();
  });
});
