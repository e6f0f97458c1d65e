import type { ConcreteBackend } from './names';

/**
 * Thrown when a backend cannot run here: its package is missing, the platform is wrong (webgl in
 * Node), there is no GPU adapter, or initialisation failed. `hint` says what to do about it.
 * seqzoo never falls back to another backend silently.
 */
export class BackendUnavailableError extends Error {
  override readonly name = 'BackendUnavailableError';
  readonly backend: ConcreteBackend | 'auto';
  readonly reason: string;
  readonly hint: string;

  constructor(
    backend: ConcreteBackend | 'auto',
    reason: string,
    hint: string,
    options?: { cause?: unknown },
  ) {
    super(`Backend '${backend}' is unavailable: ${reason}. ${hint}`, options);
    this.backend = backend;
    this.reason = reason;
    this.hint = hint;
  }
}

/** Thrown for a backend name that seqzoo does not know. */
export class UnknownBackendError extends Error {
  override readonly name = 'UnknownBackendError';
  constructor(
    readonly requested: string,
    readonly known: readonly string[],
  ) {
    super(`Unknown backend '${requested}'. Use one of: ${known.join(', ')}.`);
  }
}

/**
 * Thrown for an option value `useBackend` cannot use (`threads: 0`, `threads: 'many'`). `option`
 * names it (or the environment variable it came from), `value` is what was given.
 */
export class BackendOptionError extends Error {
  override readonly name = 'BackendOptionError';
  constructor(
    readonly option: string,
    readonly value: unknown,
    readonly hint: string,
  ) {
    super(
      `Invalid ${option}: ${typeof value === 'string' ? `'${value}'` : String(value)}. ${hint}`,
    );
  }
}
