import { OptimizerConfigError } from './errors';

/** `value` must be a finite number >= min (and < max when given). */
export function checkRange(
  where: string,
  option: string,
  value: unknown,
  min: number,
  max?: number,
): void {
  const ok =
    typeof value === 'number' &&
    Number.isFinite(value) &&
    value >= min &&
    (max === undefined || value < max);
  if (!ok) {
    const expected =
      max === undefined ? `a finite number >= ${min}` : `a number in [${min}, ${max})`;
    throw new OptimizerConfigError(`${where}${option}`, value, expected);
  }
}

export function checkBoolean(where: string, option: string, value: unknown): void {
  if (typeof value !== 'boolean') {
    throw new OptimizerConfigError(`${where}${option}`, value, 'true or false');
  }
}

export function checkBetas(where: string, value: unknown): void {
  if (!Array.isArray(value) || value.length !== 2) {
    throw new OptimizerConfigError(`${where}betas`, value, 'a pair [beta1, beta2]');
  }
  checkRange(where, 'betas[0]', value[0], 0, 1);
  checkRange(where, 'betas[1]', value[1], 0, 1);
}
