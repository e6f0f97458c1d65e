/**
 * Thrown when an optimizer, a parameter group or a schedule is given an option it cannot use:
 * a negative learning rate, a beta outside [0, 1), a parameter name that the model does not have.
 * `option` names the option (`lr`, `betas[0]`, `groups[1].params`), `value` is what was given.
 */
export class OptimizerConfigError extends Error {
  override readonly name = 'OptimizerConfigError';
  constructor(
    readonly option: string,
    readonly value: unknown,
    readonly expected: string,
  ) {
    super(`Invalid ${option}: ${show(value)}. Expected ${expected}.`);
  }
}

/** Thrown by `step` when a gradient does not fit its parameter (shape or dtype). */
export class GradientMismatchError extends Error {
  override readonly name = 'GradientMismatchError';
  constructor(
    readonly parameter: string,
    readonly reason: string,
  ) {
    super(
      `Gradient for '${parameter}' does not fit the parameter: ${reason}. Pass the gradients computed for these parameters.`,
    );
  }
}

/** Thrown by `loadStateDict` when the saved state does not belong to this optimizer or schedule. */
export class StateDictError extends Error {
  override readonly name = 'StateDictError';
  constructor(reason: string) {
    super(
      `Cannot load state: ${reason}. Load a state saved from the same kind of optimizer/schedule over the same parameters.`,
    );
  }
}

/** Thrown by `clipGradNorm(..., { errorIfNonfinite: true })` when the total norm is NaN or ±Inf. */
export class NonFiniteGradientError extends Error {
  override readonly name = 'NonFiniteGradientError';
  constructor(readonly totalNorm: number) {
    super(
      `The total gradient norm is ${totalNorm}: a gradient holds NaN or Inf. Skip this step, lower the learning rate or check the loss for overflow.`,
    );
  }
}

/** Thrown when a disposed optimizer is used again. */
export class OptimizerDisposedError extends Error {
  override readonly name = 'OptimizerDisposedError';
  constructor(type: string) {
    super(
      `This ${type} optimizer was disposed; create a new one (and load its stateDict to resume).`,
    );
  }
}

function show(value: unknown): string {
  if (typeof value === 'function') return 'a function';
  if (value instanceof RegExp) return String(value);
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
