/** Options of `bleu`. */
export interface BleuOptions {
  /** Highest n-gram order (default 4). */
  maxOrder?: number;
  /** Add-one smoothing of the n-gram precisions (Lin & Och 2004), for sentence-level use. Default false. */
  smooth?: boolean;
}

/** The BLEU score with its parts (precisions per n-gram order, brevity penalty, lengths). */
export interface BleuResult {
  bleu: number;
  precisions: number[];
  brevityPenalty: number;
  hypothesisLength: number;
  referenceLength: number;
}

function ngrams<T>(tokens: readonly T[], n: number): Map<string, number> {
  const out = new Map<string, number>();
  for (let i = 0; i + n <= tokens.length; i++) {
    const key = JSON.stringify(tokens.slice(i, i + n));
    out.set(key, (out.get(key) ?? 0) + 1);
  }
  return out;
}

/**
 * Corpus BLEU (Papineni et al. 2002) over tokenized sentences, as nltk's corpus_bleu and the
 * tensorflow/nmt `compute_bleu`: clipped n-gram counts pooled over the corpus, geometric mean of
 * the precisions, brevity penalty against the closest reference length (ties → shorter).
 * `references[i]` holds one or more references for `hypotheses[i]`.
 */
export function bleu<T>(
  references: readonly (readonly (readonly T[])[])[],
  hypotheses: readonly (readonly T[])[],
  options: BleuOptions = {},
): BleuResult {
  const maxOrder = options.maxOrder ?? 4;
  if (references.length !== hypotheses.length) {
    throw new RangeError(
      `bleu: ${references.length} reference sets but ${hypotheses.length} hypotheses.`,
    );
  }
  const matches = new Array(maxOrder).fill(0);
  const possible = new Array(maxOrder).fill(0);
  let hypLength = 0;
  let refLength = 0;
  hypotheses.forEach((hyp, i) => {
    const refs = references[i];
    hypLength += hyp.length;
    refLength += refs
      .map((r) => r.length)
      .reduce((best, len) => {
        const d = Math.abs(len - hyp.length);
        const bd = Math.abs(best - hyp.length);
        return d < bd || (d === bd && len < best) ? len : best;
      }, Number.POSITIVE_INFINITY);
    for (let n = 1; n <= maxOrder; n++) {
      const maxRef = new Map<string, number>();
      for (const r of refs)
        for (const [g, c] of ngrams(r, n)) maxRef.set(g, Math.max(maxRef.get(g) ?? 0, c));
      for (const [g, c] of ngrams(hyp, n)) matches[n - 1] += Math.min(c, maxRef.get(g) ?? 0);
      possible[n - 1] += Math.max(0, hyp.length - n + 1);
    }
  });
  const precisions = matches.map((m, i) =>
    options.smooth ? (m + 1) / (possible[i] + 1) : possible[i] > 0 ? m / possible[i] : 0,
  );
  const logMean = precisions.every((p) => p > 0)
    ? precisions.reduce((s, p) => s + Math.log(p), 0) / maxOrder
    : Number.NEGATIVE_INFINITY;
  const ratio = hypLength / refLength;
  const brevityPenalty = hypLength === 0 ? 0 : ratio > 1 ? 1 : Math.exp(1 - 1 / ratio);
  return {
    bleu: brevityPenalty * Math.exp(logMean),
    precisions,
    brevityPenalty,
    hypothesisLength: hypLength,
    referenceLength: refLength,
  };
}
