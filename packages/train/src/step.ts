import { type Module, valueAndGrads } from '@seqzoo/layers';
import { clipGradNorm, type Optimizer } from '@seqzoo/optimizers';
import * as tf from '@tensorflow/tfjs-core';
import { NonFiniteLossError } from './errors';

/** Options of `trainStep`. */
export interface TrainStepOptions {
  optimizer: Optimizer;
  /** Clip the global gradient norm to this value (torch's clip_grad_norm_). */
  clipGradNorm?: number;
  /** The 1-based step number, for the error when the loss is not finite (default 1). */
  step?: number;
  /** The newest checkpoint, named by the error when the loss is not finite. */
  lastCheckpoint?: string | null;
}

/** What `trainStep` returns. */
export interface TrainStepResult {
  /** The batch's loss before the update. */
  loss: number;
  /** The global gradient norm before clipping. */
  gradNorm: number;
}

function globalNorm(grads: Map<string, tf.Tensor>): number {
  const n = tf.tidy(() => tf.sqrt(tf.addN([...grads.values()].map((g) => tf.sum(tf.square(g))))));
  const v = n.dataSync()[0];
  n.dispose();
  return v;
}

/**
 * One optimizer step: the gradients of `loss()` with respect to the model's parameters, optional
 * global-norm clipping, then `optimizer.step`. The one NaN policy of seqzoo: when the loss or the
 * gradient norm is NaN or ±Inf, nothing is applied and `NonFiniteLossError` is thrown. Every
 * tensor it makes is released (`loss()` may return a tidied scalar; it is disposed here).
 */
export async function trainStep(
  model: Module,
  loss: () => tf.Scalar,
  options: TrainStepOptions,
): Promise<TrainStepResult> {
  const { value, grads } = valueAndGrads(model, loss);
  let lossValue: number;
  try {
    lossValue = (await value.data())[0];
  } finally {
    value.dispose();
  }
  return applyGradients(lossValue, grads, options);
}

/**
 * The second half of `trainStep` for gradients computed elsewhere (data-parallel workers):
 * clipping, the NaN policy and the optimizer step. Takes ownership of `grads` (disposed).
 */
export function applyGradients(
  lossValue: number,
  grads: Map<string, tf.Tensor>,
  options: TrainStepOptions,
): TrainStepResult {
  let applied = grads;
  let gradNorm: number;
  if (options.clipGradNorm !== undefined) {
    const clipped = clipGradNorm(grads, options.clipGradNorm);
    gradNorm = clipped.totalNorm;
    applied = clipped.grads;
    for (const g of grads.values()) g.dispose();
  } else {
    gradNorm = grads.size ? globalNorm(grads) : 0;
  }
  try {
    if (!Number.isFinite(lossValue) || !Number.isFinite(gradNorm)) {
      throw new NonFiniteLossError(
        options.step ?? 1,
        lossValue,
        gradNorm,
        options.lastCheckpoint ?? null,
      );
    }
    options.optimizer.step(applied);
  } finally {
    for (const g of applied.values()) g.dispose();
  }
  return { loss: lossValue, gradNorm };
}

/**
 * Lets the event loop run (timers, I/O, a SIGINT handler, a page's rendering): `setImmediate` in
 * Node, a `MessageChannel` message in browsers (not clamped like `setTimeout(0)`), else
 * `setTimeout(0)`.
 */
export function yieldToEventLoop(): Promise<void> {
  const g = globalThis as {
    setImmediate?: (f: () => void) => void;
    MessageChannel?: typeof MessageChannel;
  };
  if (typeof g.setImmediate === 'function') {
    return new Promise((resolve) => g.setImmediate?.(resolve));
  }
  if (typeof g.MessageChannel === 'function') {
    return new Promise((resolve) => {
      const channel = new g.MessageChannel!();
      channel.port1.onmessage = () => {
        channel.port1.close();
        resolve();
      };
      channel.port2.postMessage(null);
    });
  }
  return new Promise((resolve) => setTimeout(resolve, 0));
}
