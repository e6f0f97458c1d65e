/** Levenshtein distance between two sequences (unit costs), O(|a|·|b|) time, O(|b|) memory. */
export function editDistance<T>(a: readonly T[], b: readonly T[]): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length];
}

/**
 * Corpus error rate: total edit distance over total reference length (as jiwer computes WER).
 * Sequences are token arrays: words for WER, phonemes for PER, characters for CER.
 */
export function errorRate<T>(
  references: readonly (readonly T[])[],
  hypotheses: readonly (readonly T[])[],
): number {
  if (references.length !== hypotheses.length) {
    throw new RangeError(
      `errorRate: ${references.length} references but ${hypotheses.length} hypotheses; pass one hypothesis per reference.`,
    );
  }
  let edits = 0;
  let length = 0;
  for (let i = 0; i < references.length; i++) {
    edits += editDistance(references[i], hypotheses[i]);
    length += references[i].length;
  }
  if (length === 0)
    throw new RangeError('errorRate: the references are all empty, so the rate is undefined.');
  return edits / length;
}

const words = (s: string) => s.split(/\s+/).filter(Boolean);

/** Word error rate over sentences (split on whitespace). */
export function wordErrorRate(
  references: readonly string[],
  hypotheses: readonly string[],
): number {
  return errorRate(references.map(words), hypotheses.map(words));
}

/** Phoneme error rate over phoneme sequences (arrays such as ['K', 'AE1', 'T']). */
export function phonemeErrorRate(
  references: readonly (readonly string[])[],
  hypotheses: readonly (readonly string[])[],
): number {
  return errorRate(references, hypotheses);
}

/** Character error rate over strings (code points). */
export function characterErrorRate(
  references: readonly string[],
  hypotheses: readonly string[],
): number {
  return errorRate(
    references.map((s) => [...s]),
    hypotheses.map((s) => [...s]),
  );
}
