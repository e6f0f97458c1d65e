/** Bad input to `g2p.word`, `g2p.words`, `g2p.text` or `loadG2P`: what was wrong and what to give. */
export class G2PInputError extends Error {
  override readonly name = 'G2PInputError';
}

/** Why a folder is not a G2P model this package can load (`G2PModelError.code`). */
export type G2PModelErrorCode = 'NEWER_FORMAT' | 'NOT_A_G2P_MODEL';

/**
 * The model folder cannot serve this version of @seqzoo/g2p-en: packed by a newer version
 * (`NEWER_FORMAT`: upgrade the package) or not a G2P model (`NOT_A_G2P_MODEL`). Files the
 * registry cannot read raise its `ModelFileError` (e.g. code `UNKNOWN_FORMAT_VERSION`).
 */
export class G2PModelError extends Error {
  override readonly name = 'G2PModelError';
  constructor(
    readonly code: G2PModelErrorCode,
    message: string,
  ) {
    super(message);
  }
}
