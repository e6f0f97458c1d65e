import { ModelFileError } from '../errors';

const HINTS: Record<string, string> = {
  ENOSPC: 'the disk is full: free some space and try again',
  EDQUOT: 'the disk quota is used up: free some space and try again',
  EROFS: 'the file system is read only: choose a writable folder',
  EACCES: 'permission denied: check the permissions of the folder and the file',
  EPERM: 'operation not permitted: check the permissions of the folder and the file',
  ELOOP: 'too many levels of symbolic links: replace the link with the file itself',
  ENOTDIR: 'a part of the path is not a folder',
  EISDIR: 'a folder is where a file should be',
  EMFILE: 'too many open files: close some or raise the limit (ulimit -n)',
};

/**
 * Turns a Node file-system error (it has an errno `code`) into `ModelFileError('FILE_SYSTEM')`
 * naming the file and saying what to do; anything else (a ModelFileError, a bug) passes through.
 */
export function fsError(error: unknown, path: string): unknown {
  if (error instanceof ModelFileError) return error;
  const code = (error as NodeJS.ErrnoException | null)?.code;
  if (typeof code !== 'string' || !/^E[A-Z0-9]+$/.test(code)) return error;
  if (code === 'EISDIR') {
    return new ModelFileError('NOT_A_FILE', 'a folder is where a regular file should be.', path, {
      cause: error,
    });
  }
  const hint = HINTS[code] ?? (error as Error).message;
  return new ModelFileError('FILE_SYSTEM', `${code}: ${hint}.`, path, { cause: error });
}
