/** What was wrong with a safetensors file. Every rejection names one of these. */
export type SafetensorsErrorCode =
  | 'TRUNCATED'
  | 'HEADER_TOO_LARGE'
  | 'HEADER_LENGTH_EXCEEDS_FILE'
  | 'HEADER_NOT_JSON'
  | 'HEADER_NOT_OBJECT'
  | 'BAD_METADATA'
  | 'BAD_ENTRY'
  | 'UNSUPPORTED_DTYPE'
  | 'BAD_SHAPE'
  | 'SIZE_MISMATCH'
  | 'OFFSETS_OUT_OF_RANGE'
  | 'OVERLAP'
  | 'GAP'
  | 'VALUE_OUT_OF_RANGE'
  | 'UNSUPPORTED_TENSOR';

/**
 * Thrown for every safetensors file that breaks the format or our limits. `code` says which rule,
 * `tensor` names the entry at fault where there is one; the message says what to do.
 */
export class SafetensorsError extends Error {
  override readonly name = 'SafetensorsError';
  constructor(
    readonly code: SafetensorsErrorCode,
    message: string,
    readonly tensor?: string,
    options?: { cause?: unknown },
  ) {
    super(`${tensor === undefined ? '' : `Tensor '${tensor}': `}${message}`, options);
  }
}
