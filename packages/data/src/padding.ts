import { DataArgumentError } from './errors';

/**
 * A batch of variable-length sequences padded to the longest one (after the `maxLength` cut).
 * Row-major: `ids[b * time + t]`. Padding is `padId` (0 = `<pad>` by default); `mask` is 1 on
 * real tokens and 0 on padding; `lengths[b]` counts the real tokens of row b.
 */
export interface PaddedBatch {
  readonly kind: 'padded';
  readonly ids: Int32Array;
  readonly lengths: Int32Array;
  readonly mask: Uint8Array;
  /** [batch, time] */
  readonly shape: [number, number];
}

/** Padding options: the pad id, and the length longer sequences are cut to. */
export interface PadOptions {
  /** Longer sequences are cut to their first `maxLength` tokens. Default: no cut. */
  maxLength?: number;
  /** The padding id. Default 0 (`<pad>` in every `Vocab`). */
  padId?: number;
}

/** A sequence of token ids (an array or a typed array). */
export type Sequence = ArrayLike<number>;

/** Pads `sequences` to the longest (cut at `maxLength`). */
export function padSequences(
  sequences: readonly Sequence[],
  options: PadOptions = {},
): PaddedBatch {
  const { maxLength = Number.POSITIVE_INFINITY, padId = 0 } = options;
  if (!(maxLength > 0))
    throw new DataArgumentError(`maxLength must be a positive integer, got ${maxLength}.`);
  const batch = sequences.length;
  const lengths = new Int32Array(batch);
  let time = 0;
  for (let b = 0; b < batch; b++) {
    const s = sequences[b];
    if (s == null || typeof s.length !== 'number')
      throw new DataArgumentError(
        `paddedBatch expects sequences of token ids (arrays of numbers); item ${b} of the batch is ${JSON.stringify(s)}. Encode text with a Vocab first.`,
      );
    lengths[b] = Math.min(s.length, maxLength);
    if (lengths[b] > time) time = lengths[b];
  }
  const ids = new Int32Array(batch * time);
  const mask = new Uint8Array(batch * time);
  if (padId !== 0) ids.fill(padId);
  for (let b = 0; b < batch; b++) {
    const s = sequences[b];
    const o = b * time;
    for (let t = 0; t < lengths[b]; t++) {
      ids[o + t] = s[t];
      mask[o + t] = 1;
    }
  }
  return { kind: 'padded', ids, lengths, mask, shape: [batch, time] };
}

/** Rows of a padded batch as plain arrays (for inspection and tests). */
export function paddedRows(batch: PaddedBatch): number[][] {
  const [b, t] = batch.shape;
  return Array.from({ length: b }, (_, i) => Array.from(batch.ids.subarray(i * t, (i + 1) * t)));
}

function isSequence(x: unknown): x is Sequence {
  return Array.isArray(x) || (ArrayBuffer.isView(x) && !(x instanceof DataView));
}

/** What `paddedBatch` makes of items of type T: sequences → a PaddedBatch; objects → per field. */
export type Padded<T> = T extends Sequence
  ? PaddedBatch
  : { [K in keyof T]: T[K] extends Sequence ? PaddedBatch : T[K][] };

/** Options of `dataset.paddedBatch` and `padItems`: padding, and per-field cuts for object items. */
// biome-ignore lint/correctness/noUnusedVariables: T documents which items the options are for
export interface PaddedBatchOptions<T = unknown> extends PadOptions {
  /** Per-field cut for object items, e.g. { source: 50, target: 60 }. */
  maxLengths?: Record<string, number>;
}

/** Pads a list of items: sequences directly; objects field by field (sequence fields padded, others collected). */
export function padItems<T>(items: readonly T[], options: PaddedBatchOptions<T> = {}): Padded<T> {
  if (items.length === 0) throw new DataArgumentError('Cannot pad an empty batch.');
  const first = items[0] as unknown;
  if (isSequence(first)) return padSequences(items as unknown as Sequence[], options) as Padded<T>;
  if (first === null || typeof first !== 'object')
    throw new DataArgumentError(
      `paddedBatch expects arrays of token ids or objects holding them, got ${JSON.stringify(first)}.`,
    );
  const out: Record<string, unknown> = {};
  const per = (options.maxLengths ?? {}) as Record<string, number | undefined>;
  for (const key of Object.keys(first)) {
    const column = items.map((x) => (x as Record<string, unknown>)[key]);
    out[key] = isSequence(column[0])
      ? padSequences(column as Sequence[], {
          padId: options.padId,
          maxLength: per[key] ?? options.maxLength,
        })
      : column;
  }
  return out as Padded<T>;
}
