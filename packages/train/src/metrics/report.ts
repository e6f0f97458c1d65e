/** Per-class precision, recall and F1 (one-vs-rest). */
export interface ClassScores {
  label: string;
  precision: number;
  recall: number;
  f1: number;
  /** How many examples truly have this label. */
  support: number;
}

/** What `classificationReport` returns: accuracy, macro F1 and per-class scores. */
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
    throw new RangeError(
      `classificationReport: ${truth.length} true labels but ${predicted.length} predictions.`,
    );
  }
  const k = labels.length;
  const confusion = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  let correct = 0;
  for (let i = 0; i < truth.length; i++) {
    const t = truth[i];
    const p = predicted[i];
    if (!(t >= 0 && t < k && p >= 0 && p < k && Number.isInteger(t) && Number.isInteger(p))) {
      throw new RangeError(
        `classificationReport: entry ${i} has truth ${t} and prediction ${p}; both must be class ids in [0, ${k}).`,
      );
    }
    confusion[t][p]++;
    if (t === p) correct++;
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

/** What `perplexityReport` returns. */
export interface PerplexityResult {
  /** exp(cross entropy). */
  perplexity: number;
  /** Mean negative log-likelihood per predicted token, in nats. */
  crossEntropy: number;
  /** The cross entropy in bits (bits per char for a char model). */
  bitsPerToken: number;
  /** How many tokens were predicted. */
  tokens: number;
}

/** The perplexity report of `nll` nats summed over `tokens` (> 0) predictions. */
export function perplexityReport(nll: number, tokens: number): PerplexityResult {
  if (!(Number.isInteger(tokens) && tokens > 0)) {
    throw new RangeError(
      `perplexityReport: needs at least one predicted token, got ${tokens}; score a non-empty text.`,
    );
  }
  const crossEntropy = nll / tokens;
  return {
    perplexity: Math.exp(crossEntropy),
    crossEntropy,
    bitsPerToken: crossEntropy / Math.LN2,
    tokens,
  };
}
