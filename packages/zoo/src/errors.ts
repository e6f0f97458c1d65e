/** A model option or input that makes no sense; the message names it and says what to pass. */
export class ZooConfigError extends Error {
  override readonly name = 'ZooConfigError';
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
  }
}

/** A serialized model that cannot be read back (wrong format, missing fields). */
export class ZooFormatError extends Error {
  override readonly name = 'ZooFormatError';
}

export function checkPositiveInt(field: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw new ZooConfigError(field, `expected a positive integer, got ${String(value)}.`);
  }
  return value;
}

export function checkRange(
  field: string,
  value: unknown,
  low: number,
  high: number,
  { lowOpen = false, highOpen = false } = {},
): number {
  const ok =
    typeof value === 'number' &&
    Number.isFinite(value) &&
    (lowOpen ? value > low : value >= low) &&
    (highOpen ? value < high : value <= high);
  if (!ok) {
    const range = `${lowOpen ? '(' : '['}${low}, ${high}${highOpen ? ')' : ']'}`;
    throw new ZooConfigError(field, `expected a number in ${range}, got ${String(value)}.`);
  }
  return value as number;
}
