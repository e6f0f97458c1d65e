/** A bad argument to a plot computation: `field` names it, the message says what to do. */
export class PlotArgumentError extends Error {
  override readonly name = 'PlotArgumentError';
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
  }
}

export function checkInt(field: string, value: unknown, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new PlotArgumentError(
      field,
      `expected an integer from ${min} to ${max}, got ${String(value)}.`,
    );
  }
  return value;
}
