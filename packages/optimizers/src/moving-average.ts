import * as tf from '@tensorflow/tfjs-core';
import { OptimizerConfigError } from './errors';
import { type NamedVariables, toMap } from './named';

/** Options of `movingAverage`. */
export interface MovingAverageOptions {
  /** Decay d in `avg ← d·avg + (1 − d)·θ`, in (0, 1); 0.999 averages over ≈ 1,000 steps. */
  decay: number;
}

/** An exponential moving average of parameters (Polyak averaging); see `movingAverage`. */
export interface MovingAverage {
  readonly decay: number;
  /** How many times `update` has run. */
  readonly updates: number;
  /** True between two `swap()` calls (the variables hold the average). */
  readonly swapped: boolean;
  /** Folds the parameters' current values in; call after each optimizer step (not swapped). */
  update(): void;
  /**
   * Exchanges the average and the parameters' values: after one call the variables hold the
   * average (to evaluate or save it), after a second they hold their own values again.
   */
  swap(): void;
  /** Copies of the average by parameter name (the caller disposes them). */
  snapshot(): Map<string, tf.Tensor>;
  /** Frees the average's tensors; the tracker cannot be used afterwards. */
  dispose(): void;
}

/**
 * Tracks an exponential moving average of `params`, as TensorFlow's `ExponentialMovingAverage`
 * with `num_updates`: the decay used at update n is `min(decay, (1 + n) / (10 + n))`, so that
 * the first updates do not drag the average towards the initial values. The average of a model
 * trained with a falling learning rate often generalises better than its last parameters;
 * compare both on validation data (`swap()`, evaluate, `swap()`).
 */
export function movingAverage(
  params: NamedVariables,
  options: MovingAverageOptions,
): MovingAverage {
  const decay = options?.decay;
  if (!(typeof decay === 'number' && decay > 0 && decay < 1)) {
    throw new OptimizerConfigError('decay', decay, 'a number in (0, 1), e.g. 0.999');
  }
  const variables = toMap(params);
  let values = new Map<string, tf.Tensor>(
    [...variables].map(([name, v]) => [name, tf.keep(tf.clone(v))]),
  );
  let updates = 0;
  let disposed = false;
  // True between two swaps: the variables hold the average, `values` their own values.
  let swapped = false;
  const live = () => {
    if (disposed) throw new Error('This moving average was disposed; create a new one.');
  };
  return {
    decay,
    get updates() {
      return updates;
    },
    get swapped() {
      return swapped;
    },
    update() {
      live();
      if (swapped) {
        throw new Error('update() while the average is swapped in: call swap() first.');
      }
      const d = Math.min(decay, (1 + updates) / (10 + updates));
      updates++;
      const next = new Map<string, tf.Tensor>();
      for (const [name, v] of variables) {
        const old = values.get(name)!;
        next.set(name, tf.keep(tf.tidy(() => tf.add(tf.mul(old, d), tf.mul(v, 1 - d)))));
        old.dispose();
      }
      values = next;
    },
    swap() {
      live();
      for (const [name, v] of variables) {
        const own = tf.keep(tf.clone(v));
        v.assign(values.get(name)!);
        values.get(name)!.dispose();
        values.set(name, own);
      }
      swapped = !swapped;
    },
    snapshot() {
      live();
      const average: Map<string, tf.Tensor> = swapped ? variables : values;
      return new Map([...average].map(([name, t]) => [name, tf.clone(t)]));
    },
    dispose() {
      if (disposed) return;
      disposed = true;
      tf.dispose([...values.values()]);
    },
  };
}
