import { DTYPES, isSafetensorsDtype, type SafetensorsDtype } from './dtypes';
import { SafetensorsError } from './errors';

/** One tensor of a parsed file: its bytes are a view into the file's buffer (no copy). */
export interface RawTensor {
  readonly dtype: SafetensorsDtype;
  readonly shape: readonly number[];
  readonly bytes: Uint8Array;
}

/** What `parseSafetensors` returns: the tensors by name and the header's metadata. */
export interface ParsedSafetensors {
  readonly tensors: Map<string, RawTensor>;
  readonly metadata: Record<string, string>;
}

/** Options of `parseSafetensors`. */
export interface ParseOptions {
  /** Largest header accepted, in bytes. Default 16 MiB (the Rust reference allows 100 MB). */
  maxHeaderBytes?: number;
  /**
   * The spec says the byte buffer is indexed entirely, with no holes (so that a file cannot be a
   * polyglot). Default true: gaps and trailing bytes are rejected. Overlaps are always rejected.
   */
  strict?: boolean;
}

/** The largest safetensors header accepted by default: 16 MiB. */
export const DEFAULT_MAX_HEADER_BYTES = 16 * 1024 * 1024;

/** Reads and checks the 8-byte header length; shared by the in-memory and the file reader. */
export function readHeaderLength(
  prefix: Uint8Array,
  fileLength: number,
  maxHeaderBytes = DEFAULT_MAX_HEADER_BYTES,
): number {
  if (fileLength < 8 || prefix.byteLength < 8) {
    throw new SafetensorsError(
      'TRUNCATED',
      `the file has ${fileLength} bytes, fewer than the 8 of the header length; it is truncated or not a safetensors file.`,
    );
  }
  const n = new DataView(prefix.buffer, prefix.byteOffset, 8).getBigUint64(0, true);
  if (n > BigInt(maxHeaderBytes)) {
    throw new SafetensorsError(
      'HEADER_TOO_LARGE',
      `the header length field is over the limit of ${maxHeaderBytes} bytes: this is not a safetensors file, or it is corrupt. Raise maxHeaderBytes only for a file you trust.`,
    );
  }
  const length = Number(n);
  if (8 + length > fileLength) {
    throw new SafetensorsError(
      'HEADER_LENGTH_EXCEEDS_FILE',
      `the header length field points past the end of the ${fileLength}-byte file: it is truncated, corrupt or not a safetensors file.`,
    );
  }
  return length;
}

function parseHeaderJson(bytes: Uint8Array): Record<string, unknown> {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch (cause) {
    throw new SafetensorsError('HEADER_NOT_JSON', 'the header is not valid UTF-8.', undefined, {
      cause,
    });
  }
  if (!text.startsWith('{')) {
    throw new SafetensorsError('HEADER_NOT_OBJECT', "the header must start with '{'.");
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    throw new SafetensorsError(
      'HEADER_NOT_JSON',
      `the header is not valid JSON (${(cause as Error).message}).`,
      undefined,
      { cause },
    );
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new SafetensorsError('HEADER_NOT_OBJECT', 'the header must be a JSON object.');
  }
  return value as Record<string, unknown>;
}

function isCount(v: unknown): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
}

function checkEntry(name: string, entry: unknown, bufferLength: number) {
  if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) {
    throw new SafetensorsError(
      'BAD_ENTRY',
      'the entry must be an object {dtype, shape, data_offsets}.',
      name,
    );
  }
  const { dtype, shape, data_offsets: offsets } = entry as Record<string, unknown>;
  if (!isSafetensorsDtype(dtype)) {
    throw new SafetensorsError(
      'UNSUPPORTED_DTYPE',
      `dtype ${JSON.stringify(dtype)} is not supported; use one of ${Object.keys(DTYPES).join(', ')}.`,
      name,
    );
  }
  if (!Array.isArray(shape) || !shape.every(isCount)) {
    throw new SafetensorsError(
      'BAD_SHAPE',
      `shape ${JSON.stringify(shape)} must be an array of non-negative integers.`,
      name,
    );
  }
  if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every(isCount)) {
    throw new SafetensorsError(
      'BAD_ENTRY',
      `data_offsets ${JSON.stringify(offsets)} must be [begin, end] non-negative integers.`,
      name,
    );
  }
  const [begin, end] = offsets as [number, number];
  if (begin > end || end > bufferLength) {
    throw new SafetensorsError(
      'OFFSETS_OUT_OF_RANGE',
      `data_offsets [${begin}, ${end}] fall outside the ${bufferLength}-byte data buffer.`,
      name,
    );
  }
  let elements = 1n;
  for (const d of shape as number[]) elements *= BigInt(d);
  const expected = elements * BigInt(DTYPES[dtype].bytes);
  if (expected !== BigInt(end - begin)) {
    throw new SafetensorsError(
      'SIZE_MISMATCH',
      `shape [${shape.join(', ')}] of ${dtype} needs ${expected} bytes but data_offsets span ${end - begin}.`,
      name,
    );
  }
  return { dtype, shape: shape as number[], begin, end };
}

/**
 * Parses a whole safetensors file held in memory. Checks, in order: the header length (bounded,
 * within the file), UTF-8 JSON object, `__metadata__` string→string, each entry's dtype, shape and
 * offsets, shape × dtype size = offset span, offsets inside the buffer, no overlaps, and (strict)
 * no gaps. Nothing in the file is ever executed or used as a key outside the returned map.
 */
export function parseSafetensors(file: Uint8Array, options: ParseOptions = {}): ParsedSafetensors {
  const headerLength = readHeaderLength(file, file.byteLength, options.maxHeaderBytes);
  const header = parseHeaderJson(file.subarray(8, 8 + headerLength));
  const data = file.subarray(8 + headerLength);
  const metadata: Record<string, string> = {};
  const tensors = new Map<string, RawTensor>();
  const spans: { name: string; begin: number; end: number }[] = [];
  for (const [name, entry] of Object.entries(header)) {
    if (name === '__metadata__') {
      if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) {
        throw new SafetensorsError('BAD_METADATA', '__metadata__ must be an object of strings.');
      }
      for (const [k, v] of Object.entries(entry)) {
        if (typeof v !== 'string') {
          throw new SafetensorsError(
            'BAD_METADATA',
            `__metadata__.${k} must be a string, got ${typeof v}.`,
          );
        }
        metadata[k] = v;
      }
      continue;
    }
    const e = checkEntry(name, entry, data.byteLength);
    spans.push({ name, begin: e.begin, end: e.end });
    tensors.set(name, { dtype: e.dtype, shape: e.shape, bytes: data.subarray(e.begin, e.end) });
  }
  spans.sort((a, b) => a.begin - b.begin || a.end - b.end);
  let cursor = 0;
  for (const s of spans) {
    if (s.begin === s.end) continue; // empty tensors hold no bytes
    if (s.begin < cursor) {
      throw new SafetensorsError(
        'OVERLAP',
        `data_offsets [${s.begin}, ${s.end}] overlap the previous tensor's bytes (which end at ${cursor}).`,
        s.name,
      );
    }
    if (s.begin > cursor && options.strict !== false) {
      throw new SafetensorsError(
        'GAP',
        `bytes ${cursor}..${s.begin} of the data buffer belong to no tensor; the spec forbids holes.`,
        s.name,
      );
    }
    cursor = s.end;
  }
  if (cursor !== data.byteLength && options.strict !== false) {
    throw new SafetensorsError(
      'GAP',
      `the data buffer has ${data.byteLength - cursor} trailing bytes that belong to no tensor; the spec forbids holes.`,
    );
  }
  return { tensors, metadata };
}
