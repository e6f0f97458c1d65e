// Quantized weights: a saved model's float32 weights stored as float16, or as int8 with one
// float32 scale per channel, in an ordinary safetensors file whose metadata says how to read it
// back. `readWeights` (so `loadModel` and `importWeights`) dequantizes to float32 on load.
import { ModelFileError } from './errors';
import { MAX_MODEL_JSON_BYTES, MODEL_JSON, parseModelJson, sha256Hex } from './model-json';
import { type DecodedTensor, decodeTensor } from './safetensors/decode';
import type { SafetensorsDtype } from './safetensors/dtypes';
import type { EncodableTensor } from './safetensors/encode';
import { type ParsedSafetensors, parseSafetensors, type RawTensor } from './safetensors/parse';
import { resolveStorage } from './storage/resolve';
import type { ModelStorage } from './storage/types';

/** `float16`: every float tensor as IEEE half. `int8`: matrices as int8 with per-channel scales, vectors as float16. */
export type QuantizeDtype = 'float16' | 'int8';

/** The safetensors `__metadata__` key that marks a quantized file (a JSON string). */
export const QUANTIZATION_KEY = 'seqzoo.quantization';
/** The quantization format this @seqzoo/registry writes and reads; a newer one is refused. */
export const QUANTIZATION_VERSION = 1;

/** How one tensor is stored in a quantized file (tensors not listed are stored as they are). */
export type QuantizedTensorEntry =
  | { dtype: 'float16' }
  /** `value[i] = int8[i] · scale[channel]`, the channel being the index along `axis`. */
  | { dtype: 'int8'; axis: number; scale: string };

/** What `__metadata__['seqzoo.quantization']` holds. */
export interface QuantizationHeader {
  version: number;
  dtype: QuantizeDtype;
  tensors: Record<string, QuantizedTensorEntry>;
}

/** Options of `quantizeModel` and `quantizeTensors`: the target dtype and, for int8, the scale axis. */
export interface QuantizeOptions {
  dtype: QuantizeDtype;
  /**
   * int8: the axis whose slices get their own scale, for every tensor of rank ≥ 2; default
   * 'auto': per tensor, the first or the last axis, whichever leaves the smaller squared error.
   */
  axis?: number | 'auto';
}

/** What quantization did to one tensor: how it is stored and its error against float32. */
export interface QuantizedTensorReport {
  name: string;
  shape: number[];
  stored: 'int8' | 'float16' | 'float32' | 'int32' | 'bool';
  axis?: number;
  /** max |x − dequantized(x)|. */
  maxAbsError: number;
  /** maxAbsError over max |x| of the tensor (0 for an all-zero tensor). */
  maxRelError: number;
}

/** What `quantizeModel` returns: the dtype, the file size before and after, and each tensor's error. */
export interface QuantizeReport {
  dtype: QuantizeDtype;
  /** Bytes of the weights file before and after. */
  bytesBefore: number;
  bytesAfter: number;
  tensors: QuantizedTensorReport[];
  /** The largest maxAbsError / maxRelError over the tensors. */
  maxAbsError: number;
  maxRelError: number;
}

// ---------------------------------------------------------------------------------------------
// Numbers

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** float32 → IEEE half bits, rounding to nearest even (as PyTorch's `.half()` and numpy do). */
export function floatToHalf(x: number): number {
  f32[0] = x;
  const bits = u32[0];
  const sign = (bits >>> 16) & 0x8000;
  const exp = (bits >>> 23) & 0xff;
  let mant = bits & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (mant ? 0x200 : 0);
  const e = exp - 112; // rebias 127 → 15
  if (e >= 0x1f) return sign | 0x7c00;
  if (e <= 0) {
    // Half subnormal: mantissa with the hidden bit, shifted right by 14 − e, rounded.
    if (e < -10) return sign;
    mant |= 0x800000;
    const shift = 14 - e;
    const rest = mant & ((1 << shift) - 1);
    const mid = 1 << (shift - 1);
    let h = mant >>> shift;
    if (rest > mid || (rest === mid && h & 1)) h++;
    return sign | h;
  }
  let h = (e << 10) | (mant >>> 13);
  const rest = mant & 0x1fff;
  // A carry out of the mantissa raises the exponent, up to infinity: IEEE's rounding.
  if (rest > 0x1000 || (rest === 0x1000 && h & 1)) h++;
  return sign | h;
}

/** Round half to even (C's nearbyint, which PyTorch's quantizers use). */
function roundHalfEven(v: number): number {
  const r = Math.round(v);
  return Math.abs(v % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** float16 bits of every value; a finite value beyond half's range is an error, not ±Inf. */
function toHalf(name: string, values: Float32Array): Uint16Array {
  const out = new Uint16Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const h = floatToHalf(values[i]);
    if ((h & 0x7c00) === 0x7c00 && (h & 0x3ff) === 0 && Number.isFinite(values[i])) {
      throw new ModelFileError(
        'WEIGHTS_MISMATCH',
        `tensor '${name}' holds ${values[i]}, beyond float16's range (±65504). Quantize it to int8 instead (its per-channel scales have float32's range).`,
      );
    }
    out[i] = h;
  }
  return out;
}

/** Sizes for walking axis `axis` of `shape`: [outer, channels, inner]. */
function strides(shape: readonly number[], axis: number): [number, number, number] {
  const outer = shape.slice(0, axis).reduce((a, b) => a * b, 1);
  const inner = shape.slice(axis + 1).reduce((a, b) => a * b, 1);
  return [outer, shape[axis], inner];
}

/** Symmetric int8 with one scale per slice along `axis`: scale = max |x| / 127 (float32). */
function quantizeInt8(values: Float32Array, shape: readonly number[], axis: number) {
  const [outer, channels, inner] = strides(shape, axis);
  const scales = new Float32Array(channels);
  for (let o = 0; o < outer; o++) {
    for (let c = 0; c < channels; c++) {
      const base = (o * channels + c) * inner;
      for (let i = 0; i < inner; i++) {
        const a = Math.abs(values[base + i]);
        if (a > scales[c]) scales[c] = a;
      }
    }
  }
  for (let c = 0; c < channels; c++) scales[c] = Math.fround(scales[c] / 127);
  const q = new Int8Array(values.length);
  for (let o = 0; o < outer; o++) {
    for (let c = 0; c < channels; c++) {
      const s = scales[c];
      const base = (o * channels + c) * inner;
      if (s === 0) continue;
      for (let i = 0; i < inner; i++) {
        q[base + i] = Math.max(-127, Math.min(127, roundHalfEven(values[base + i] / s)));
      }
    }
  }
  return { q, scales };
}

/** The float32 values of an int8 tensor with per-channel scales. */
export function dequantizeInt8(
  q: Int8Array,
  scales: Float32Array,
  shape: readonly number[],
  axis: number,
): Float32Array {
  const [outer, channels, inner] = strides(shape, axis);
  const out = new Float32Array(q.length);
  for (let o = 0; o < outer; o++) {
    for (let c = 0; c < channels; c++) {
      const s = scales[c];
      const base = (o * channels + c) * inner;
      for (let i = 0; i < inner; i++) out[base + i] = q[base + i] * s;
    }
  }
  return out;
}

function errors(original: Float32Array, restored: ArrayLike<number>) {
  let maxAbs = 0;
  let peak = 0;
  let squared = 0;
  for (let i = 0; i < original.length; i++) {
    const d = Math.abs(original[i] - restored[i]);
    squared += d * d;
    if (d > maxAbs) maxAbs = d;
    const a = Math.abs(original[i]);
    if (a > peak) peak = a;
  }
  return { maxAbs, maxRel: peak > 0 ? maxAbs / peak : 0, squared };
}

// ---------------------------------------------------------------------------------------------
// Files

interface Entry {
  dtype: SafetensorsDtype;
  shape: readonly number[];
  bytes: Uint8Array;
}

const ELEMENT_BYTES: Partial<Record<SafetensorsDtype, number>> = {
  F32: 4,
  I32: 4,
  F16: 2,
  I8: 1,
  BOOL: 1,
};

function littleEndian(dtype: 'F32' | 'I32' | 'F16', values: ArrayLike<number>): Uint8Array {
  const size = dtype === 'F16' ? 2 : 4;
  const out = new Uint8Array(values.length * size);
  const view = new DataView(out.buffer);
  for (let i = 0; i < values.length; i++) {
    if (dtype === 'F32') view.setFloat32(i * size, values[i], true);
    else if (dtype === 'I32') view.setInt32(i * size, values[i], true);
    else view.setUint16(i * size, values[i], true);
  }
  return out;
}

/**
 * safetensors bytes for entries of any dtype: the widest elements first (each tensor aligned to
 * its element size, as the reference writer orders them), then by name; header padded to 8.
 */
function encodeEntries(entries: Map<string, Entry>, metadata: Record<string, string>): Uint8Array {
  const names = [...entries.keys()].sort((a, b) => {
    const d =
      (ELEMENT_BYTES[entries.get(b)!.dtype] ?? 1) - (ELEMENT_BYTES[entries.get(a)!.dtype] ?? 1);
    return d || (a < b ? -1 : a > b ? 1 : 0);
  });
  const header: Record<string, unknown> = { __metadata__: metadata };
  let offset = 0;
  for (const name of names) {
    const e = entries.get(name)!;
    header[name] = {
      dtype: e.dtype,
      shape: [...e.shape],
      data_offsets: [offset, offset + e.bytes.byteLength],
    };
    offset += e.bytes.byteLength;
  }
  const json = new TextEncoder().encode(JSON.stringify(header));
  const padded = Math.ceil(json.byteLength / 8) * 8;
  const out = new Uint8Array(8 + padded + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(padded), true);
  out.fill(0x20, 8, 8 + padded);
  out.set(json, 8);
  let o = 8 + padded;
  for (const name of names) {
    const b = entries.get(name)!.bytes;
    out.set(b, o);
    o += b.byteLength;
  }
  return out;
}

/**
 * Quantizes tensors (float32 ones; int32 and bool pass through) into safetensors bytes that
 * `readWeights` reads back as float32. `metadata` is kept in the file beside the quantization's.
 */
export function quantizeTensors(
  tensors: ReadonlyMap<string, EncodableTensor>,
  options: QuantizeOptions,
  metadata: Record<string, string> = {},
): { bytes: Uint8Array; tensors: QuantizedTensorReport[] } {
  const { dtype, axis = 'auto' } = options;
  if (dtype !== 'float16' && dtype !== 'int8') {
    throw new TypeError(
      `quantize: dtype must be 'float16' or 'int8', got ${JSON.stringify(dtype)}.`,
    );
  }
  const entries = new Map<string, Entry>();
  const header: QuantizationHeader = { version: QUANTIZATION_VERSION, dtype, tensors: {} };
  const reports: QuantizedTensorReport[] = [];
  const scaleNames = new Set([...tensors.keys()].map((n) => `${n}.__scale`));
  for (const [name, t] of tensors) {
    if (scaleNames.has(name) || name === '__metadata__') {
      throw new ModelFileError(
        'WEIGHTS_MISMATCH',
        `tensor name '${name}' collides with the names quantization adds ('<name>.__scale'); rename the tensor.`,
      );
    }
    const shape = [...t.shape];
    if (t.dtype !== 'float32') {
      entries.set(name, {
        dtype: t.dtype === 'int32' ? 'I32' : 'BOOL',
        shape,
        bytes:
          t.dtype === 'int32'
            ? littleEndian('I32', t.values)
            : Uint8Array.from(t.values, (v) => (v ? 1 : 0)),
      });
      reports.push({ name, shape, stored: t.dtype, maxAbsError: 0, maxRelError: 0 });
      continue;
    }
    const values = t.values instanceof Float32Array ? t.values : Float32Array.from(t.values);
    if (dtype === 'int8' && shape.length >= 2 && values.length > 0) {
      if (axis !== 'auto' && (!Number.isInteger(axis) || axis < 0 || axis >= shape.length)) {
        throw new TypeError(
          `quantize: axis ${axis} does not exist in tensor '${name}' of shape [${shape}]; give an axis in 0..${shape.length - 1} or 'auto'.`,
        );
      }
      const candidates = axis === 'auto' ? [...new Set([0, shape.length - 1])] : [axis];
      let best: {
        axis: number;
        q: Int8Array;
        scales: Float32Array;
        err: ReturnType<typeof errors>;
      } | null = null;
      for (const a of candidates) {
        const { q, scales } = quantizeInt8(values, shape, a);
        const err = errors(values, dequantizeInt8(q, scales, shape, a));
        if (!best || err.squared < best.err.squared) best = { axis: a, q, scales, err };
      }
      const b = best!;
      const scale = `${name}.__scale`;
      entries.set(name, {
        dtype: 'I8',
        shape,
        bytes: new Uint8Array(b.q.buffer, b.q.byteOffset, b.q.byteLength),
      });
      entries.set(scale, {
        dtype: 'F32',
        shape: [b.scales.length],
        bytes: littleEndian('F32', b.scales),
      });
      header.tensors[name] = { dtype: 'int8', axis: b.axis, scale };
      reports.push({
        name,
        shape,
        stored: 'int8',
        axis: b.axis,
        maxAbsError: b.err.maxAbs,
        maxRelError: b.err.maxRel,
      });
    } else {
      const half = toHalf(name, values);
      entries.set(name, { dtype: 'F16', shape, bytes: littleEndian('F16', half) });
      header.tensors[name] = { dtype: 'float16' };
      const restored = decodeTensor(name, { dtype: 'F16', shape, bytes: entries.get(name)!.bytes });
      const err = errors(values, restored.values);
      reports.push({
        name,
        shape,
        stored: 'float16',
        maxAbsError: err.maxAbs,
        maxRelError: err.maxRel,
      });
    }
  }
  const bytes = encodeEntries(entries, { ...metadata, [QUANTIZATION_KEY]: JSON.stringify(header) });
  return { bytes, tensors: reports };
}

/** The quantization header of a parsed file, or null for a plain one. */
export function quantizationOf(
  metadata: Record<string, string>,
  where?: string,
): QuantizationHeader | null {
  const text = metadata[QUANTIZATION_KEY];
  if (text === undefined) return null;
  let header: QuantizationHeader;
  try {
    header = JSON.parse(text);
  } catch (cause) {
    throw new ModelFileError(
      'WEIGHTS_MISMATCH',
      `the '${QUANTIZATION_KEY}' metadata is not JSON (${(cause as Error).message}); the file is corrupt: quantize the model again.`,
      where,
      { cause },
    );
  }
  if (
    typeof header?.version !== 'number' ||
    typeof header.tensors !== 'object' ||
    !header.tensors
  ) {
    throw new ModelFileError(
      'WEIGHTS_MISMATCH',
      `the '${QUANTIZATION_KEY}' metadata lacks a version or its tensors; the file is corrupt: quantize the model again.`,
      where,
    );
  }
  if (header.version > QUANTIZATION_VERSION) {
    throw new ModelFileError(
      'UNKNOWN_FORMAT_VERSION',
      `the weights are quantized in format version ${header.version}; this @seqzoo/registry reads up to ${QUANTIZATION_VERSION}. Upgrade @seqzoo/registry (or the package that ships the model) to load them.`,
      where,
    );
  }
  return header;
}

function bad(where: string | undefined, name: string, message: string): never {
  throw new ModelFileError(
    'WEIGHTS_MISMATCH',
    `quantized tensor '${name}': ${message}; the file is corrupt: quantize the model again.`,
    where,
  );
}

function rawInt8(raw: RawTensor): Int8Array {
  return new Int8Array(raw.bytes.buffer, raw.bytes.byteOffset, raw.bytes.byteLength);
}

/**
 * Decodes a parsed safetensors file to float32 / int32 / bool values: plain files as they are,
 * quantized files (`seqzoo.quantization` metadata) dequantized, their scale tensors consumed.
 */
export function decodeWeights(
  parsed: ParsedSafetensors,
  where?: string,
): Map<string, DecodedTensor> {
  const header = quantizationOf(parsed.metadata, where);
  const out = new Map<string, DecodedTensor>();
  if (!header) {
    for (const [name, raw] of parsed.tensors) out.set(name, decodeTensor(name, raw));
    return out;
  }
  const scales = new Set<string>();
  for (const [name, entry] of Object.entries(header.tensors)) {
    const raw = parsed.tensors.get(name);
    if (!raw) bad(where, name, 'listed in the metadata but absent from the file');
    if (entry.dtype === 'float16') {
      if (raw.dtype !== 'F16') bad(where, name, `stored as ${raw.dtype}, not F16`);
      continue;
    }
    if (entry.dtype !== 'int8')
      bad(where, name, `unknown dtype ${JSON.stringify((entry as { dtype: unknown }).dtype)}`);
    const scale = parsed.tensors.get(entry.scale);
    if (raw.dtype !== 'I8') bad(where, name, `stored as ${raw.dtype}, not I8`);
    if (!Number.isInteger(entry.axis) || entry.axis < 0 || entry.axis >= raw.shape.length)
      bad(where, name, `axis ${entry.axis} is not an axis of shape [${raw.shape}]`);
    if (
      scale?.dtype !== 'F32' ||
      scale.shape.length !== 1 ||
      scale.shape[0] !== raw.shape[entry.axis]
    )
      bad(
        where,
        name,
        `its scale '${entry.scale}' is missing or not F32 of shape [${raw.shape[entry.axis]}]`,
      );
    scales.add(entry.scale);
  }
  for (const [name, raw] of parsed.tensors) {
    if (scales.has(name)) continue;
    const entry = header.tensors[name];
    if (entry?.dtype === 'int8') {
      const scale = decodeTensor(entry.scale, parsed.tensors.get(entry.scale)!)
        .values as Float32Array;
      out.set(name, {
        dtype: 'float32',
        shape: [...raw.shape],
        values: dequantizeInt8(rawInt8(raw), scale, raw.shape, entry.axis),
      });
    } else {
      out.set(name, decodeTensor(name, raw));
    }
  }
  return out;
}

/**
 * Quantizes a saved model in one call: reads `source` (a folder or storage URL holding
 * model.json and float32 weights), writes the weights quantized to `destination` with model.json
 * updated (size, SHA-256, `weights.quantization`). The optimizer state is left out: a quantized
 * model is for inference. `loadModel` reads the result like any saved model (float32 in memory).
 * `destination` may equal `source` (model.json is written last).
 */
export async function quantizeModel(
  source: string | ModelStorage,
  destination: string | ModelStorage,
  options: QuantizeOptions,
): Promise<QuantizeReport> {
  const from = resolveStorage(source);
  const to = resolveStorage(destination);
  const jsonBytes = await from.read(MODEL_JSON, (_p, size) => {
    if (size > MAX_MODEL_JSON_BYTES) {
      throw new ModelFileError(
        'BAD_MODEL_JSON',
        `${size} bytes is too large for model.json.`,
        `${from.location}/${MODEL_JSON}`,
      );
    }
  });
  if (jsonBytes === null) {
    throw new ModelFileError(
      'MISSING_FILE',
      `no ${MODEL_JSON} here: not a saved seqzoo model.`,
      from.location,
    );
  }
  const json = parseModelJson(jsonBytes, from.location);
  // The file's own object, so that fields this version does not know survive.
  const raw = JSON.parse(new TextDecoder().decode(jsonBytes)) as Record<string, unknown> & {
    weights: Record<string, unknown>;
  };
  const where = `${from.location}/${json.weights.file}`;
  const bytes = await from.read(json.weights.file);
  if (bytes === null) throw new ModelFileError('MISSING_FILE', 'the file does not exist.', where);
  if (bytes.byteLength !== json.weights.bytes || (await sha256Hex(bytes)) !== json.weights.sha256) {
    throw new ModelFileError(
      'WEIGHTS_MISMATCH',
      'the file is not the one model.json was saved with (size or SHA-256 differ); save the model again before quantizing.',
      where,
    );
  }
  const parsed = parseSafetensors(bytes);
  if (quantizationOf(parsed.metadata, where)) {
    throw new ModelFileError(
      'WEIGHTS_MISMATCH',
      'these weights are quantized already; quantize the float32 model they came from.',
      where,
    );
  }
  const tensors = new Map<string, EncodableTensor>();
  for (const [name, t] of parsed.tensors) {
    const d = decodeTensor(name, t);
    tensors.set(name, d);
  }
  const { [QUANTIZATION_KEY]: _, ...metadata } = parsed.metadata;
  const result = quantizeTensors(tensors, options, metadata);
  raw.weights = {
    ...raw.weights,
    bytes: result.bytes.byteLength,
    sha256: await sha256Hex(result.bytes),
    quantization: { dtype: options.dtype, version: QUANTIZATION_VERSION },
  };
  raw.optimizer = null;
  await to.write(
    new Map([
      [json.weights.file, result.bytes],
      [MODEL_JSON, new TextEncoder().encode(`${JSON.stringify(raw, null, 2)}\n`)],
    ]),
  );
  return {
    dtype: options.dtype,
    bytesBefore: bytes.byteLength,
    bytesAfter: result.bytes.byteLength,
    tensors: result.tensors,
    maxAbsError: Math.max(0, ...result.tensors.map((t) => t.maxAbsError)),
    maxRelError: Math.max(0, ...result.tensors.map((t) => t.maxRelError)),
  };
}
