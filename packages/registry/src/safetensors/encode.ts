import { LITTLE_ENDIAN } from './decode';
import { SafetensorsError } from './errors';

/** One tensor to write: float32 → F32, int32 → I32, bool → BOOL. */
export interface EncodableTensor {
  readonly dtype: 'float32' | 'int32' | 'bool';
  readonly shape: readonly number[];
  readonly values: Float32Array | Int32Array | Uint8Array;
}

const TAGS = { float32: ['F32', 4], int32: ['I32', 4], bool: ['BOOL', 1] } as const;

/**
 * Serialises tensors to safetensors bytes: names sorted, data packed without holes in that order,
 * the header padded with spaces so that the data starts on an 8-byte boundary (as the reference
 * writer does), little-endian.
 */
export function encodeSafetensors(
  tensors: ReadonlyMap<string, EncodableTensor>,
  metadata: Record<string, string> = {},
): Uint8Array {
  const names = [...tensors.keys()].sort();
  const header: Record<string, unknown> = {};
  if (Object.keys(metadata).length > 0) header.__metadata__ = metadata;
  let offset = 0;
  for (const name of names) {
    if (name === '__metadata__') {
      throw new SafetensorsError(
        'BAD_ENTRY',
        "'__metadata__' is reserved and cannot name a tensor.",
        name,
      );
    }
    const t = tensors.get(name) as EncodableTensor;
    const tag = TAGS[t.dtype];
    if (tag === undefined) {
      throw new SafetensorsError(
        'UNSUPPORTED_TENSOR',
        `dtype ${t.dtype} cannot be written; use float32, int32 or bool.`,
        name,
      );
    }
    const count = t.shape.reduce((a, b) => a * b, 1);
    if (count !== t.values.length) {
      throw new SafetensorsError(
        'SIZE_MISMATCH',
        `shape [${t.shape.join(', ')}] has ${count} elements but ${t.values.length} values were given.`,
        name,
      );
    }
    const bytes = count * tag[1];
    header[name] = { dtype: tag[0], shape: [...t.shape], data_offsets: [offset, offset + bytes] };
    offset += bytes;
  }
  let json = new TextEncoder().encode(JSON.stringify(header));
  const padded = Math.ceil(json.byteLength / 8) * 8;
  if (padded !== json.byteLength) {
    const p = new Uint8Array(padded).fill(0x20);
    p.set(json);
    json = p;
  }
  const out = new Uint8Array(8 + json.byteLength + offset);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(json.byteLength), true);
  out.set(json, 8);
  let o = 8 + json.byteLength;
  for (const name of names) {
    const t = tensors.get(name) as EncodableTensor;
    if (LITTLE_ENDIAN && t.dtype !== 'bool') {
      const typed =
        t.dtype === 'float32'
          ? t.values instanceof Float32Array
            ? t.values
            : Float32Array.from(t.values)
          : t.values instanceof Int32Array
            ? t.values
            : Int32Array.from(t.values);
      out.set(new Uint8Array(typed.buffer, typed.byteOffset, typed.byteLength), o);
      o += typed.byteLength;
    } else if (t.dtype === 'float32') {
      for (const v of t.values) {
        view.setFloat32(o, v, true);
        o += 4;
      }
    } else if (t.dtype === 'int32') {
      for (const v of t.values) {
        view.setInt32(o, v, true);
        o += 4;
      }
    } else {
      for (const v of t.values) out[o++] = v ? 1 : 0;
    }
  }
  return out;
}
