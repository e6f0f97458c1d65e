import { ModelFileError } from '../errors';

/**
 * File names a model.json may refer to: one plain name directly in the model's folder (or under
 * its URL), 1–128 characters of letters, digits, `.`, `_` and `-`, not starting with `.`. No `/`,
 * `\`, `..`, `:` or `%`, so no path, URL, drive letter or escape can lead outside the folder.
 */
const SAFE_NAME = /^[A-Za-z0-9_-][A-Za-z0-9._-]{0,127}$/;

/** Whether `name` is such a safe file name. */
export function isSafeFileName(name: unknown): name is string {
  return typeof name === 'string' && SAFE_NAME.test(name) && !name.includes('..');
}

/**
 * What a storage accepts: any single path segment (`my weights (1).safetensors` included), never
 * a separator, `.`/`..`, a control character or, for URLs, `?`, `#`, `%` or `:`.
 */
export function isPlainFileName(name: unknown, url = false): name is string {
  return (
    typeof name === 'string' &&
    name.length > 0 &&
    name.length <= 255 &&
    name !== '.' &&
    name !== '..' &&
    // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is refused
    !/[/\\\u0000-\u001f]/.test(name) &&
    !(url && /[?#%:]/.test(name))
  );
}

/**
 * Throws `ModelFileError('UNSAFE_PATH')` unless `name` is a file name allowed in model.json
 * (`'model-json'`, strict: SAFE_NAME) or by a folder or URL storage (a single path segment).
 */
export function checkFileName(
  name: unknown,
  location: string,
  kind: 'model-json' | 'folder' | 'url' = 'model-json',
): asserts name is string {
  const ok = kind === 'model-json' ? isSafeFileName(name) : isPlainFileName(name, kind === 'url');
  if (!ok) {
    throw new ModelFileError(
      'UNSAFE_PATH',
      `the file name ${JSON.stringify(name)?.slice(0, 200)} is not allowed: a saved model names files directly inside its model folder (letters, digits, '.', '_', '-'; no '/', '\\', '..' or URL). ${kind === 'model-json' ? 'The model.json was edited or is hostile; save the model again.' : 'Give a plain file name.'}`,
      location,
    );
  }
}
