import { type Module, Random, valueAndGrads } from '@seqzoo/layers';
import { adam, clipGradNorm, type Optimizer } from '@seqzoo/optimizers';
import type * as tf from '@tensorflow/tfjs-core';
import { checkPositiveInt, checkRange } from '../errors';

export interface TrainOptions {
  /** Passes over the data (default 10). */
  epochs?: number;
  /** Examples per step (default 32). */
  batchSize?: number;
  /** Adam learning rate (default 1e-2 for the small models here). */
  lr?: number;
  /** Global-norm gradient clipping (default none). */
  clipNorm?: number;
  /** Seed of the shuffling (default 0). */
  seed?: number;
  /** Stop after this many optimizer steps (default: no limit). */
  maxSteps?: number;
  /** Called after each epoch with the mean training loss. */
  onEpoch?: (epoch: number, loss: number) => void;
  /** Reuse an optimizer (to keep its state across calls); otherwise a fresh Adam. */
  optimizer?: Optimizer;
}

export interface TrainHistory {
  /** Mean training loss of each epoch. */
  loss: number[];
  steps: number;
  seconds: number;
}

/** A permutation of 0..n-1 drawn from `rng` (Fisher–Yates). */
export function shuffledIndices(n: number, rng: Random): number[] {
  const idx = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rng.next() * (i + 1));
    [idx[i], idx[j]] = [idx[j], idx[i]];
  }
  return idx;
}

/**
 * Minibatch training with Adam: each epoch visits the `n` examples in a seeded random order, in
 * batches of `batchSize`; `loss(indices)` builds the batch and returns its scalar loss (inside
 * the gradient tape, so it must not dispose what it returns). Owns every tensor it makes.
 */
export function trainOnIndices(
  module: Module,
  n: number,
  loss: (indices: number[]) => tf.Scalar,
  options: TrainOptions = {},
): TrainHistory {
  const epochs = checkPositiveInt('epochs', options.epochs ?? 10);
  const batchSize = checkPositiveInt('batchSize', options.batchSize ?? 32);
  const lr = checkRange('lr', options.lr ?? 1e-2, 0, Number.POSITIVE_INFINITY, { lowOpen: true });
  const rng = new Random(options.seed ?? 0);
  const optimizer: Optimizer =
    options.optimizer ?? (adam(module.namedParameters(), { lr }) as unknown as Optimizer);
  const start = performance.now();
  const history: TrainHistory = { loss: [], steps: 0, seconds: 0 };
  module.train(true);
  try {
    for (let epoch = 0; epoch < epochs; epoch++) {
      const order = shuffledIndices(n, rng);
      let total = 0;
      let batches = 0;
      for (let b = 0; b < n; b += batchSize) {
        if (options.maxSteps !== undefined && history.steps >= options.maxSteps) break;
        total += step(
          module,
          optimizer,
          () => loss(order.slice(b, b + batchSize)),
          options.clipNorm,
        );
        batches++;
        history.steps++;
      }
      if (batches === 0) break;
      history.loss.push(total / batches);
      options.onEpoch?.(epoch, total / batches);
    }
  } finally {
    if (!options.optimizer) optimizer.dispose();
    module.eval();
  }
  history.seconds = (performance.now() - start) / 1000;
  return history;
}

/** One optimizer step on `f`'s loss; returns the loss value. */
export function step(
  module: Module,
  optimizer: Optimizer,
  f: () => tf.Scalar,
  clipNorm?: number,
): number {
  const { value, grads } = valueAndGrads(module, f);
  let used = grads;
  if (clipNorm !== undefined) {
    used = clipGradNorm(grads, clipNorm).grads;
    for (const g of grads.values()) g.dispose();
  }
  optimizer.step(used);
  for (const g of used.values()) g.dispose();
  const out = value.dataSync()[0];
  value.dispose();
  return out;
}
