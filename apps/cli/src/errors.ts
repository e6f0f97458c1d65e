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

/** The one-line message for any error: typed seqzoo errors carry their own advice. */
export function oneLine(error: unknown): string {
  if (error instanceof Error)
    return `${error.name === 'Error' ? 'error' : error.name}: ${error.message.split('\n')[0]}`;
  return `error: ${String(error)}`;
}
