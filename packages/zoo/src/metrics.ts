import { ZooConfigError } from './errors';
/** Per-class precision, recall and F1 (one-vs-rest). */
export interface ClassScores {
  label: string;
  precision: number;
  recall: number;
  f1: number;
  /** How many examples truly have this label. */
  support: number;
}

export interface ClassificationReport {
  accuracy: number;
  /** Unweighted mean of the per-class F1. */
  macroF1: number;
  perClass: ClassScores[];
  /** `confusion[t][p]`: examples of true class t predicted as p (rows: truth). */
  confusion: number[][];
  labels: string[];
}

/** Accuracy, per-class F1 and the confusion matrix of integer predictions against the truth. */
export function classificationReport(
  truth: ArrayLike<number>,
  predicted: ArrayLike<number>,
  labels: readonly string[],
): ClassificationReport {
  if (truth.length !== predicted.length) {
    throw new Error(
      `classificationReport: ${truth.length} true labels but ${predicted.length} predictions.`,
    );
  }
  const k = labels.length;
  const confusion = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  let correct = 0;
  for (let i = 0; i < truth.length; i++) {
    confusion[truth[i]][predicted[i]]++;
    if (truth[i] === predicted[i]) correct++;
  }
  const perClass = labels.map((label, c) => {
    const tp = confusion[c][c];
    const support = confusion[c].reduce((s, x) => s + x, 0);
    const predictedC = confusion.reduce((s, row) => s + row[c], 0);
    const precision = predictedC === 0 ? 0 : tp / predictedC;
    const recall = support === 0 ? 0 : tp / support;
    const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
    return { label, precision, recall, f1, support };
  });
  return {
    accuracy: truth.length === 0 ? 0 : correct / truth.length,
    macroF1: perClass.reduce((s, c) => s + c.f1, 0) / Math.max(k, 1),
    perClass,
    confusion,
    labels: [...labels],
  };
}

export interface PerplexityResult {
  /** exp(cross entropy). */
  perplexity: number;
  /** Mean negative log-likelihood per predicted token, in nats. */
  crossEntropy: number;
  /** The cross entropy in bits (bits per char for a char model). */
  bitsPerToken: number;
  /** How many tokens were predicted (each sequence's `</s>` included). */
  tokens: number;
}

/** The perplexity report of `nll` nats summed over `tokens` predictions; none is an error on `field`. */
export function perplexityFrom(
  nll: number,
  tokens: number,
  field: string,
  message: string,
): PerplexityResult {
  if (tokens === 0) throw new ZooConfigError(field, message);
  const crossEntropy = nll / tokens;
  return {
    perplexity: Math.exp(crossEntropy),
    crossEntropy,
    bitsPerToken: crossEntropy / Math.LN2,
    tokens,
  };
}
