/** Counts and rates of a spam filter's verdicts against the truth ('spam' is the positive class). */
export interface SpamMetrics {
  messages: number;
  accuracy: number;
  /** Of the messages called spam, the fraction that are spam. */
  spamPrecision: number;
  /** Of the spam, the fraction caught. */
  spamRecall: number;
  spamF1: number;
  /** Of the legitimate messages, the fraction wrongly called spam. */
  hamFalsePositiveRate: number;
  /** Rows: truth ham, spam; columns: predicted ham, spam. */
  confusion: [[number, number], [number, number]];
}

const ratio = (a: number, b: number) => (b === 0 ? 0 : a / b);
const round = (x: number) => Math.round(x * 10_000) / 10_000;

/** Metrics of predicted labels against true ones (rates rounded to 4 decimals). */
export function spamMetrics(truth: readonly string[], predicted: readonly string[]): SpamMetrics {
  if (truth.length !== predicted.length) {
    throw new Error(`${truth.length} true labels but ${predicted.length} predictions.`);
  }
  const c: [[number, number], [number, number]] = [
    [0, 0],
    [0, 0],
  ];
  truth.forEach((t, i) => {
    c[t === 'spam' ? 1 : 0][predicted[i] === 'spam' ? 1 : 0]++;
  });
  const [[tn, fp], [fn, tp]] = c;
  const precision = ratio(tp, tp + fp);
  const recall = ratio(tp, tp + fn);
  return {
    messages: truth.length,
    accuracy: round(ratio(tp + tn, truth.length)),
    spamPrecision: round(precision),
    spamRecall: round(recall),
    spamF1: round(ratio(2 * precision * recall, precision + recall)),
    hamFalsePositiveRate: round(ratio(fp, fp + tn)),
    confusion: c,
  };
}
