import * as tf from '@tensorflow/tfjs-core';
import { columnSums } from './fast-ops';

/**
 * The maths of one recurrent cell, written for the fused path: the sequence runner does the
 * matmuls (the whole input projection before the loop, one `h·W_hh` per step, and the weight
 * gradients as single matmuls over all steps after the backward loop); the cell supplies the
 * elementwise forward step and its hand-written derivative.
 */
export interface FusedCellMath {
  /** Gates per unit: 4 (LSTM), 3 (GRU), 1 (RNN). */
  readonly gates: number;
  /** State tensors: 2 (h, c) for LSTM, else 1 (h). The first is always h, the output. */
  readonly states: number;
  /**
   * True when the cell only uses `xp + hp` (LSTM, RNN): then `b_hh` is folded into the input
   * projection and the gradients w.r.t. `xp` and `hp` are the same tensor.
   */
  readonly shared: boolean;
  /**
   * One step. `xp`: `[B, G·H]` input projection (plus `b_ih`, plus `b_hh` when shared); `hp`:
   * `h·W_hh` (plus `b_hh` when not shared). Returns the candidate state and what backward needs.
   */
  forward(xp: tf.Tensor, hp: tf.Tensor, prev: tf.Tensor[], constants?: tf.Tensor[]): FusedForward;
  /**
   * The derivative of one step. `dState`: gradients w.r.t. the candidate state; `saved`: what
   * forward returned; `prev`: the previous state. Returns the gradients w.r.t. `xp`, `hp` and the
   * direct (non-matmul) gradient w.r.t. the previous state (null where there is none).
   */
  backward(
    dState: tf.Tensor[],
    saved: tf.Tensor[],
    prev: tf.Tensor[],
    constants?: tf.Tensor[],
  ): FusedBackward;
  /**
   * Constant tensors the step needs (e.g. per-gate factors), made once per sequence rather than
   * once per step (on WebGL every new tensor is an upload), passed to forward and backward.
   */
  constants?(hidden: number): tf.Tensor[];
}

/** What a fused cell's `forward` returns: the candidate state and the tensors `backward` needs. */
export interface FusedForward {
  state: tf.Tensor[];
  saved: tf.Tensor[];
}

/** What a fused cell's `backward` returns: the gradients w.r.t. `xp`, `hp` and the previous state. */
export interface FusedBackward {
  dXp: tf.Tensor;
  dHp: tf.Tensor;
  dPrev: (tf.Tensor | null)[];
}

/** Options of `runFused`. */
export interface FusedRunOptions {
  /** `[T, B, 1]` float 0/1: 1 where step t of sequence b is inside its length. */
  mask?: tf.Tensor3D;
}

/** What `runFused` returns. */
export interface FusedRunResult {
  /** `[T, B, H]`, zero past each length. */
  output: tf.Tensor3D;
  /** Final states, each `[B, H]` (the state at each sequence's last valid step). */
  state: tf.Tensor2D[];
}

/**
 * Runs a cell over a time-major sequence `x` `[T, B, F]` as one autodiff node with a
 * hand-written backward pass through time. Differentiable w.r.t. `x`, the weights, the biases and
 * the initial state. `bias` is `[b_ih, b_hh]` or null for a bias-free cell. Call it inside
 * `tf.tidy`.
 *
 * The node is registered the way `tf.customGrad` registers one (`engine.runKernelFunc` with a
 * forward and a backwards function), with two differences that `tf.customGrad` does not allow:
 * several outputs (the sequence and each final state, no packing), and lazy input gradients, so
 * that the engine only pays for the gradients it asks for (no `dX` matmul for a constant input,
 * no `dW` for a frozen weight).
 */
export function runFused(
  math: FusedCellMath,
  x: tf.Tensor3D,
  weightIh: tf.Tensor2D,
  weightHh: tf.Tensor2D,
  bias: [tf.Tensor1D, tf.Tensor1D] | null,
  initial: tf.Tensor2D[],
  options: FusedRunOptions = {},
): FusedRunResult {
  const [T, B, F] = x.shape;
  const S = math.states;
  const mask = options.mask;
  const inputs: tf.Tensor[] = [tf.reshape(x, [T * B, F]), weightIh, weightHh];
  if (bias) inputs.push(bias[0], bias[1]);
  inputs.push(...initial);

  const forwardFunc = (_backend: unknown, save: tf.GradSaveFunc): tf.Tensor[] => {
    const [x2d, wIh, wHh] = inputs as tf.Tensor2D[];
    const bIh = bias ? (inputs[3] as tf.Tensor1D) : null;
    const bHh = bias ? (inputs[4] as tf.Tensor1D) : null;
    const init = inputs.slice(bias ? 5 : 3) as tf.Tensor2D[];

    const xBias = bIh && (math.shared ? tf.add(bIh, bHh!) : bIh);
    const xp = xBias ? tf.fused.matMul({ a: x2d, b: wIh, bias: xBias }) : tf.matMul(x2d, wIh);
    // One split into the T steps' rows. (Stock wasm's SplitV copies the whole input out of the
    // heap for every output, T² in all, and so do Slice and Gather; @seqzoo/backend's SplitV reads
    // a view: 64 splits of a [4096, 1024] projection take ~2 ms instead of ~330 ms.)
    const xps = tf.split(xp, T, 0);
    const masks = mask ? (tf.unstack(mask) as tf.Tensor2D[]) : null;
    const recurrentBias = !math.shared && bHh ? bHh : null;
    const constants = math.constants?.(wHh.shape[0]);

    // states[t] is the state before step t (states[0] = initial, states[T] = final).
    const states: tf.Tensor[][] = [init];
    const saved: tf.Tensor[][] = [];
    const outputs: tf.Tensor[] = [];
    for (let t = 0; t < T; t++) {
      const prev = states[t];
      const step = tf.tidy(() => {
        const hp = recurrentBias
          ? tf.fused.matMul({ a: prev[0] as tf.Tensor2D, b: wHh, bias: recurrentBias })
          : tf.matMul(prev[0] as tf.Tensor2D, wHh);
        const cell = math.forward(xps[t], hp, prev, constants);
        if (!masks) return [...cell.state, cell.state[0], ...cell.saved];
        const m = masks[t];
        const next = cell.state.map((c, i) => tf.add(prev[i], tf.mul(m, tf.sub(c, prev[i]))));
        return [...next, tf.mul(cell.state[0], m), ...cell.saved];
      });
      states.push(step.slice(0, S));
      outputs.push(step[S]);
      saved.push(step.slice(S + 1));
    }
    // Saved for backward: the input, the states before each step, each step's own tensors, and
    // the mask (what the closure sees is disposed by the time backward runs).
    save([x2d, ...states.slice(0, T).flat(), ...saved.flat(), ...(mask ? [mask] : [])]);
    return [tf.stack(outputs), ...states[T]];
  };

  const backwardsFunc = (dy: tf.Tensor | tf.Tensor[], kept: tf.Tensor[]) => {
    const dys = dy as tf.Tensor[];
    const [, wIh, wHh] = inputs as tf.Tensor2D[];
    const perStep = (kept.length - 1 - T * S - (mask ? 1 : 0)) / T;
    const xKept = kept[0] as tf.Tensor2D;
    const statesAt = (t: number) => kept.slice(1 + t * S, 1 + (t + 1) * S);
    const savedAt = (t: number) =>
      kept.slice(1 + T * S + t * perStep, 1 + T * S + (t + 1) * perStep);
    const dOut = tf.unstack(dys[0]);
    const backMasks = mask ? (tf.unstack(kept[kept.length - 1]) as tf.Tensor2D[]) : null;
    const wHhT = tf.transpose(wHh);
    const constants = math.constants?.(wHh.shape[0]);
    let dState = dys.slice(1);
    const dXps: tf.Tensor[] = new Array(T);
    const dHps: tf.Tensor[] = new Array(T);
    for (let t = T - 1; t >= 0; t--) {
      const prev = statesAt(t);
      const current = dState;
      const step = tf.tidy(() => {
        const m = backMasks?.[t];
        const dh = tf.add(current[0], dOut[t]);
        const dCand = m
          ? [tf.mul(dh, m), ...current.slice(1).map((d) => tf.mul(d, m))]
          : [dh, ...current.slice(1)];
        const g = math.backward(dCand, savedAt(t), prev, constants);
        const keep = m ? tf.sub(1, m) : null;
        const dPrev = prev.map((_, i) => {
          let d: tf.Tensor | null = g.dPrev[i];
          if (i === 0) {
            const viaW = tf.matMul(g.dHp as tf.Tensor2D, wHhT);
            d = d ? tf.add(d, viaW) : viaW;
          }
          if (keep) {
            const through = tf.mul(current[i], keep);
            d = d ? tf.add(d, through) : through;
          }
          return d ?? tf.zerosLike(prev[i]);
        });
        return math.shared ? [...dPrev, g.dXp] : [...dPrev, g.dXp, g.dHp];
      });
      if (t < T - 1) tf.dispose(current);
      dState = step.slice(0, S);
      dXps[t] = step[S];
      dHps[t] = math.shared ? step[S] : step[S + 1];
    }
    // Gate gradients of all steps as one [T·B, G·H] matrix; the rest are single big matmuls,
    // computed only if the engine asks for them.
    const dXpAll = tf.concat(dXps, 0) as tf.Tensor2D;
    tf.dispose(dXps);
    let dHpAll = dXpAll;
    if (!math.shared) {
      dHpAll = tf.concat(dHps, 0) as tf.Tensor2D;
      tf.dispose(dHps);
    }
    const grads: Record<string, () => tf.Tensor> = {
      0: () => tf.matMul(dXpAll, tf.transpose(wIh)),
      1: () => tf.matMul(tf.transpose(xKept), dXpAll),
      2: () => {
        const hPrev = tf.concat(
          Array.from({ length: T }, (_, t) => statesAt(t)[0]),
          0,
        ) as tf.Tensor2D;
        return tf.matMul(tf.transpose(hPrev), dHpAll);
      },
    };
    let next = 3;
    if (bias) {
      // LSTM and RNN: both biases get the same gradient; compute it once.
      let dbIh: tf.Tensor | null = null;
      grads[next++] = () => {
        dbIh = columnSums(dXpAll);
        return dbIh;
      };
      grads[next++] = () =>
        math.shared && dbIh && !dbIh.isDisposed ? tf.clone(dbIh) : columnSums(dHpAll);
    }
    dState.forEach((d) => {
      grads[next++] = () => d;
    });
    return grads;
  };

  const inputMap: Record<string, tf.Tensor> = {};
  inputs.forEach((t, i) => {
    inputMap[i] = t;
  });
  const engine = tf.engine() as unknown as {
    runKernelFunc(params: {
      forwardFunc: typeof forwardFunc;
      backwardsFunc: typeof backwardsFunc;
      inputs: Record<string, tf.Tensor>;
    }): tf.Tensor[];
  };
  const [output, ...state] = engine.runKernelFunc({ forwardFunc, backwardsFunc, inputs: inputMap });
  return { output: output as tf.Tensor3D, state: state as tf.Tensor2D[] };
}
