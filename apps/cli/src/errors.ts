/** An error the user can act on: printed as one line (no stack unless --debug), exit code 1. */
export class CliError extends Error {
  override readonly name = 'CliError';
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
  }
}

/**
 * The one-line message for any error: typed seqzoo errors carry their own advice. A message of
 * several lines (a ConfigError lists each bad field) is joined into one.
 */
export function oneLine(error: unknown): string {
  if (error instanceof Error) {
    const message = error.message
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean)
      .join(' ')
      .replace(/registry\.describe\('([^']+)'\)/, '`seqzoo describe $1`');
    return `${error.name === 'Error' ? 'error' : error.name}: ${message}`;
  }
  return `error: ${String(error)}`;
}

/** Ends the CLI with `exitCode` and nothing more to print (e.g. 130 after Ctrl-C). */
export class Exit extends Error {
  override readonly name = 'Exit';
  constructor(readonly exitCode: number) {
    super(`exit ${exitCode}`);
  }
}
