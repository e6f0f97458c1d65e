/** An error the user can act on: printed as one line (no stack unless --debug), exit code 1. */
export class CliError extends Error {
  override readonly name: string = 'CliError';
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
  }
}

const FS_MEANING: Record<string, string> = {
  EISDIR: 'is a directory, not a file',
  ENOTDIR: 'a part of the path is not a directory',
  ELOOP: 'is a symbolic link that loops (too many levels of links)',
  ENOSPC: 'no space left on the device',
  EROFS: 'the file system is read-only',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  ENOENT: 'no such file or directory',
  EMFILE: 'too many open files',
  EEXIST: 'already exists',
  ENAMETOOLONG: 'the name is too long',
};

const FS_ADVICE: Record<string, string> = {
  EISDIR: 'give the path of a file',
  ENOTDIR: 'check the path',
  ELOOP: 'point the link at a real file',
  ENOSPC: 'free some space or write elsewhere',
  EROFS: 'write to a writable folder',
  EACCES: 'check its permissions',
  EPERM: 'check its permissions',
  ENOENT: 'check the path',
};

/** A file-system failure (EISDIR, ELOOP, ENOSPC, EROFS, …) that names the file and the flag. */
export class FileSystemError extends CliError {
  override readonly name = 'FileSystemError';
  constructor(
    readonly code: string,
    readonly path: string,
    readonly flag?: string,
    options?: { cause?: unknown },
  ) {
    super(
      `${flag ? `${flag} ` : ''}${path}: ${FS_MEANING[code] ?? 'file-system error'} (${code}); ${FS_ADVICE[code] ?? 'check the path and the disk'}.`,
    );
    if (options?.cause) (this as { cause?: unknown }).cause = options.cause;
  }
}

/**
 * A Node file-system error (`code` E…, with its `path`) as a FileSystemError naming the file (and
 * the flag that gave it); any other error unchanged.
 */
export function fileSystemError(error: unknown, path?: string, flag?: string): unknown {
  const e = error as NodeJS.ErrnoException;
  if (
    error instanceof FileSystemError ||
    !e ||
    typeof e.code !== 'string' ||
    !/^E[A-Z]+$/.test(e.code)
  )
    return error;
  const file = e.path ?? path;
  if (!file) return error;
  return new FileSystemError(e.code, file, e.path && path && e.path !== path ? undefined : flag, {
    cause: error,
  });
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
  error = fileSystemError(error);
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
