import { DTYPES, halfToFloat } from './dtypes';
import { SafetensorsError } from './errors';
import type { RawTensor } from './parse';

/** What `decodeTensor` returns: the tfjs dtype, the shape and the values. */
export interface DecodedTensor {
  readonly dtype: 'float32' | 'int32' | 'bool';
  readonly shape: number[];
  readonly values: Float32Array | Int32Array | Uint8Array;
}

/** Whether this host stores numbers little-endian, as safetensors does (true on every common CPU). */
export const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * Copies a raw tensor into a fresh, aligned typed array of the tfjs dtype it maps to: floats of
 * any width become float32, integers int32 (I64 values outside int32 are rejected, never
 * wrapped), BOOL stays bool. Reads little-endian whatever the host.
 */
export function decodeTensor(name: string, raw: RawTensor): DecodedTensor {
  const { dtype, shape, bytes } = raw;
  if (LITTLE_ENDIAN && (dtype === 'F32' || dtype === 'I32')) {
    // Fast path: one copy into a fresh (aligned) buffer, viewed in place. Not `bytes.slice()`:
    // for a Node Buffer that is a view into a shared pool, not a copy (issue 20 item 7).
    const copy = new ArrayBuffer(bytes.byteLength);
    new Uint8Array(copy).set(bytes);
    return dtype === 'F32'
      ? { dtype: 'float32', shape: [...shape], values: new Float32Array(copy) }
      : { dtype: 'int32', shape: [...shape], values: new Int32Array(copy) };
  }
  const size = DTYPES[dtype].bytes;
  const count = bytes.byteLength / size;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const tfDtype = DTYPES[dtype].tf;
  if (tfDtype === 'bool') {
    const values = new Uint8Array(count);
    for (let i = 0; i < count; i++) values[i] = view.getUint8(i) ? 1 : 0;
    return { dtype: 'bool', shape: [...shape], values };
  }
  if (tfDtype === 'float32') {
    const values = new Float32Array(count);
    for (let i = 0; i < count; i++) {
      const o = i * size;
      values[i] =
        dtype === 'F32'
          ? view.getFloat32(o, true)
          : dtype === 'F64'
            ? view.getFloat64(o, true)
            : dtype === 'F16'
              ? halfToFloat(view.getUint16(o, true))
              : new Float32Array(new Uint32Array([view.getUint16(o, true) << 16]).buffer)[0];
    }
    return { dtype: 'float32', shape: [...shape], values };
  }
  const values = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    const o = i * size;
    switch (dtype) {
      case 'I64': {
        const v = view.getBigInt64(o, true);
        if (v > 2147483647n || v < -2147483648n) {
          throw new SafetensorsError(
            'VALUE_OUT_OF_RANGE',
            `element ${i} = ${v} does not fit in int32.`,
            name,
          );
        }
        values[i] = Number(v);
        break;
      }
      case 'I32':
        values[i] = view.getInt32(o, true);
        break;
      case 'I16':
        values[i] = view.getInt16(o, true);
        break;
      case 'I8':
        values[i] = view.getInt8(o);
        break;
      default:
        values[i] = view.getUint8(o);
    }
  }
  return { dtype: 'int32', shape: [...shape], values };
}
