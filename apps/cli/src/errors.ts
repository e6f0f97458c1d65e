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
 * Library advice rewritten for the command line: the packages' errors say what to do in API
 * terms (an option of `fit`, `createRegistry`); the CLI says it in flags and commands.
 */
const CLI_ADVICE: [RegExp, string][] = [
  [
    /register the plugin that provides it with createRegistry\(\{ plugins \}\)\./,
    'run `seqzoo models` for the list.',
  ],
  [/registry\.describe\('([^']+)'\)/, '`seqzoo describe $1`'],
  [
    /Fix the source, or pass \{ onError: 'skip' \} to drop bad rows and count them\./,
    'Fix that row of the file.',
  ],
  [
    /resume from it with a lower learning rate or gradient clipping \(clipGradNorm\)\./,
    'resume from it (--resume) with a lower --lr.',
  ],
  [
    /restart with a lower learning rate or gradient clipping \(clipGradNorm\)\./,
    'train again with a lower --lr.',
  ],
];

/**
 * The one-line message for any error: typed seqzoo errors carry their own advice. A message of
 * several lines (a ConfigError lists each bad field) is joined into one.
 */
export function oneLine(error: unknown): string {
  if (error instanceof Error) {
    let message = error.message
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean)
      .join(' ');
    for (const [pattern, advice] of CLI_ADVICE) message = message.replace(pattern, advice);
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
