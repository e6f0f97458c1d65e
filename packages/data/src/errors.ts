/** Where a bad row came from: the 1-based physical line in the source and what was wrong. */
export type ReaderErrorKind =
  | 'invalid-utf8'
  | 'unterminated-quote'
  | 'stray-quote'
  | 'column-count'
  | 'missing-column'
  | 'invalid-json';

/**
 * A bad line or row in a source read by `readLines`, `readCsv` or `readJsonl`. With
 * `onError: 'throw'` (the default) it is thrown; with `'skip'` the row is dropped, counted in the
 * reader's `skipped` and passed to `onSkip`.
 */
export class ReaderError extends Error {
  override readonly name = 'ReaderError';
  constructor(
    readonly kind: ReaderErrorKind,
    /** 1-based line where the bad row starts. */
    readonly line: number,
    readonly detail: string,
    /**
     * The bad row is a CSV's header: it names the columns, so it cannot be skipped (not even
     * with `onError: 'skip'`), and the message does not advise skipping.
     */
    readonly header = false,
  ) {
    super(
      header
        ? `Line ${line}: ${detail}. This is the header row, which names the columns and cannot be skipped: fix the source.`
        : `Line ${line}: ${detail}. Fix the source, or pass { onError: 'skip' } to drop bad rows and count them.`,
    );
  }
}

/** A wrong argument to a data function; the message quotes the bad value and says what is expected. */
export class DataArgumentError extends Error {
  override readonly name = 'DataArgumentError';
}

/** Thrown when a dataset state does not fit the dataset it is resumed on. */
export class DatasetStateError extends Error {
  override readonly name = 'DatasetStateError';
}

export function checkPositiveInt(name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0)
    throw new DataArgumentError(`${name} must be a positive integer, got ${String(value)}.`);
  return value;
}

export function checkNonNegativeInt(name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0)
    throw new DataArgumentError(`${name} must be a non-negative integer, got ${String(value)}.`);
  return value;
}
