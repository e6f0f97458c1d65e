import type { z } from 'zod';

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

/**
 * `schema.parse(config)`, with a failure a `ZooConfigError` naming the first bad field (and what
 * the schema wanted): checked before anything is allocated, e.g. `hiddenSize: 30000`.
 */
export function parseConfig<S extends z.ZodType>(
  schema: S,
  config: unknown,
  model: string,
): z.output<S> {
  const r = schema.safeParse(config);
  if (!r.success) {
    const issue = r.error.issues[0];
    const field = issue.path.length ? issue.path.join('.') : model;
    throw new ZooConfigError(
      field,
      `${issue.message} (in the ${model} config; see its schema's bounds).`,
    );
  }
  return r.data;
}
