import type { Random } from '@seqzoo/layers';
import { checkRange, ZooConfigError } from './errors';

/** How the next token is drawn: temperature, top-k, top-p. */
export interface SamplingOptions {
  /** Softmax temperature; 0 picks the most likely token (greedy). Default 1. */
  temperature?: number;
  /** Keep only the k most likely tokens (0 or undefined: all). */
  topK?: number;
  /** Keep the smallest set of tokens whose probability reaches p (nucleus; 1: all). */
  topP?: number;
}

/** Throws a `ZooConfigError` on a bad temperature, topK or topP. */
export function checkSampling(options: SamplingOptions): void {
  if (options.temperature !== undefined) {
    checkRange('temperature', options.temperature, 0, Number.POSITIVE_INFINITY, { highOpen: true });
  }
  if (
    options.topK !== undefined &&
    (!Number.isInteger(options.topK) || (options.topK as number) < 0)
  ) {
    throw new ZooConfigError('topK', `expected a non-negative integer, got ${options.topK}.`);
  }
  if (options.topP !== undefined) checkRange('topP', options.topP, 0, 1, { lowOpen: true });
}

/**
 * Samples an index from `probs` (non-negative, any total) after temperature, top-k and top-p.
 * Temperature is applied to probabilities as p^(1/T) (the same as dividing logits by T).
 */
export function sampleIndex(
  probs: ArrayLike<number>,
  rng: Random,
  options: SamplingOptions = {},
): number {
  const { temperature = 1, topK = 0, topP = 1 } = options;
  const n = probs.length;
  if (temperature === 0) {
    let best = 0;
    for (let i = 1; i < n; i++) if (probs[i] > probs[best]) best = i;
    return best;
  }
  // Work in log space so that small temperatures do not underflow.
  const logs = new Float64Array(n);
  let max = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < n; i++) {
    logs[i] = probs[i] > 0 ? Math.log(probs[i]) / temperature : Number.NEGATIVE_INFINITY;
    if (logs[i] > max) max = logs[i];
  }
  const order = Array.from({ length: n }, (_, i) => i).filter((i) => logs[i] > -Infinity);
  order.sort((a, b) => logs[b] - logs[a]);
  let kept = topK > 0 ? order.slice(0, topK) : order;
  const weights = kept.map((i) => Math.exp(logs[i] - max));
  let total = weights.reduce((s, w) => s + w, 0);
  if (topP < 1) {
    let cum = 0;
    let cut = kept.length;
    for (let j = 0; j < kept.length; j++) {
      cum += weights[j] / total;
      if (cum >= topP) {
        cut = j + 1;
        break;
      }
    }
    kept = kept.slice(0, cut);
    weights.length = cut;
    total = weights.reduce((s, w) => s + w, 0);
  }
  let u = rng.next() * total;
  for (let j = 0; j < kept.length; j++) {
    u -= weights[j];
    if (u < 0) return kept[j];
  }
  return kept[kept.length - 1];
}
