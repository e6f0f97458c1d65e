/** Bad input to `loadSpamFilter` or `filter.classify`: what was wrong and what to give. */
export class SpamInputError extends Error {
  override readonly name = 'SpamInputError';
}

/** Why a model folder cannot serve this version (see `SpamModelError`). */
export type SpamModelErrorCode = 'NEWER_FORMAT' | 'NOT_A_SPAM_MODEL';

/**
 * The model folder cannot serve this version of @seqzoo/spam-en: packed by a newer version
 * (`NEWER_FORMAT`: upgrade the package) or not a spam model (`NOT_A_SPAM_MODEL`). Files the
 * registry cannot read raise its `ModelFileError` (e.g. code `UNKNOWN_FORMAT_VERSION`).
 */
export class SpamModelError extends Error {
  override readonly name = 'SpamModelError';
  constructor(
    readonly code: SpamModelErrorCode,
    message: string,
  ) {
    super(message);
  }
}
