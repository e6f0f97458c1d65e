/** The safetensors dtypes seqzoo reads, with their size in bytes and the tfjs dtype they become. */
export const DTYPES = {
  F64: { bytes: 8, tf: 'float32' },
  F32: { bytes: 4, tf: 'float32' },
  F16: { bytes: 2, tf: 'float32' },
  BF16: { bytes: 2, tf: 'float32' },
  I64: { bytes: 8, tf: 'int32' },
  I32: { bytes: 4, tf: 'int32' },
  I16: { bytes: 2, tf: 'int32' },
  I8: { bytes: 1, tf: 'int32' },
  U8: { bytes: 1, tf: 'int32' },
  BOOL: { bytes: 1, tf: 'bool' },
} as const;

/** A safetensors dtype name that seqzoo reads (`F32`, `I64`, `BOOL`…). */
export type SafetensorsDtype = keyof typeof DTYPES;

export function isSafetensorsDtype(value: unknown): value is SafetensorsDtype {
  return typeof value === 'string' && Object.hasOwn(DTYPES, value);
}

/** IEEE half → float. */
export function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * 2 ** -14 * (frac / 1024);
  if (exp === 0x1f) return frac ? Number.NaN : sign * Number.POSITIVE_INFINITY;
  return sign * 2 ** (exp - 15) * (1 + frac / 1024);
}
