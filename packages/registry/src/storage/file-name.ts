import { ModelFileError } from '../errors';

/**
 * File names a saved model may refer to: one plain name directly in the model's folder (or under
 * its URL), 1–128 characters of letters, digits, `.`, `_` and `-`, not starting with `.`. No `/`,
 * `\`, `..`, `:` or `%`, so no path, URL, drive letter or escape can lead outside the folder.
 */
const SAFE_NAME = /^[A-Za-z0-9_-][A-Za-z0-9._-]{0,127}$/;

export function isSafeFileName(name: unknown): name is string {
  return typeof name === 'string' && SAFE_NAME.test(name) && !name.includes('..');
}

/** Throws `ModelFileError('UNSAFE_PATH')` unless `name` is a plain file name (see SAFE_NAME). */
export function checkFileName(name: unknown, location: string): asserts name is string {
  if (!isSafeFileName(name)) {
    throw new ModelFileError(
      'UNSAFE_PATH',
      `the file name ${JSON.stringify(name)?.slice(0, 200)} is not allowed: a saved model names files directly inside its model folder (letters, digits, '.', '_', '-'; no '/', '\\', '..' or URL). The model.json was edited or is hostile; save the model again.`,
      location,
    );
  }
}
