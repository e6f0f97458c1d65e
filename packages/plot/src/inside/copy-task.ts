import type { Random } from '@seqzoo/layers';

/**
 * The copy task in its hardest form, "recall the first symbol": a sequence of `length` random
 * symbols out of `symbols`; after reading it all, the model must name the first one. The only
 * information the loss needs is `length − 1` steps back, so the gradient that reaches the early
 * steps is what decides whether the model can learn it.
 */
export interface CopyBatch {
  /** `[batch][length]` symbol ids. */
  input: number[][];
  /** `[batch]`: the first symbol of each row. */
  target: number[];
}

/** A random batch of the copy task: `batch` rows of `length` symbols, each target its row's first symbol. */
export function copyBatch(batch: number, length: number, symbols: number, rng: Random): CopyBatch {
  const input = Array.from({ length: batch }, () =>
    Array.from({ length }, () => Math.floor(rng.next() * symbols)),
  );
  return { input, target: input.map((row) => row[0]) };
}
