/** Thrown for a model or decoding option that cannot work; the message quotes the bad value. */
export class Seq2SeqConfigError extends Error {
  override readonly name = 'Seq2SeqConfigError';
  constructor(
    readonly option: string,
    message: string,
  ) {
    super(`Invalid option '${option}': ${message}`);
  }
}

/** Thrown when an input (tokens, lengths, tensors) has the wrong shape or values. */
export class Seq2SeqInputError extends Error {
  override readonly name = 'Seq2SeqInputError';
}

/** Throws `Seq2SeqConfigError` unless `value` is a positive integer. */
export function positiveInt(option: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0) {
    throw new Seq2SeqConfigError(option, `expected a positive integer, got ${String(value)}.`);
  }
  return value;
}

/** Throws `Seq2SeqConfigError` unless `value` is a number in [low, high). */
export function numberIn(option: string, value: unknown, low: number, high: number): number {
  if (typeof value !== 'number' || !(value >= low && value < high)) {
    throw new Seq2SeqConfigError(
      option,
      `expected a number in [${low}, ${high}), got ${String(value)}.`,
    );
  }
  return value;
}
