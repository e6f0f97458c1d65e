/** Thrown for a constructor option that cannot work; the message quotes the bad value. */
export class LayerConfigError extends Error {
  override readonly name = 'LayerConfigError';
  constructor(
    readonly option: string,
    message: string,
  ) {
    super(`Invalid option '${option}': ${message}`);
  }
}

/** Thrown when an input tensor has the wrong rank, shape or dtype for a layer. */
export class InputShapeError extends Error {
  override readonly name = 'InputShapeError';
}

/**
 * Thrown by `loadStateDict` (and the converters) when a parameter is missing, unexpected, or has
 * the wrong shape. `parameter` is the dotted path of the offending entry.
 */
export class StateDictError extends Error {
  override readonly name = 'StateDictError';
  constructor(
    readonly parameter: string,
    message: string,
  ) {
    super(message);
  }
}

/** Throws `LayerConfigError` unless `value` is a positive integer. */
export function checkPositiveInt(option: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0) {
    throw new LayerConfigError(option, `expected a positive integer, got ${String(value)}.`);
  }
  return value;
}

/** Throws `LayerConfigError` unless `value` is a rate in [0, 1). */
export function checkRate(option: string, value: unknown): number {
  if (typeof value !== 'number' || !(value >= 0 && value < 1)) {
    throw new LayerConfigError(option, `expected a number in [0, 1), got ${String(value)}.`);
  }
  return value;
}
