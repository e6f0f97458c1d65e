import * as tf from '@tensorflow/tfjs-core';
import { bucketItems } from './bucket';
import {
  checkNonNegativeInt,
  checkPositiveInt,
  DataArgumentError,
  DatasetStateError,
} from './errors';
import { type Padded, type PaddedBatchOptions, padItems } from './padding';
import { hashString, mixSeed, Rng } from './random';

/**
 * Where an iteration stands: `epoch` (which seeds the per-epoch shuffles) and `index`, the number
 * of items already taken from this dataset in that epoch. Plain JSON; save it with a checkpoint
 * and pass it to `dataset.iterator(state)` to go on with exactly the remaining items.
 */
export interface DatasetState {
  epoch: number;
  index: number;
}

/** Passed down the pipeline when an iteration opens; `salt` seeds per-epoch / per-repeat randomness. */
export interface OpenContext {
  readonly epoch: number;
  readonly salt: number;
}

/**
 * The internal protocol: an opened pipeline yields non-empty arrays of items ("chunks": a read
 * block's rows, a run of array items, a few batches), having already skipped `skip` items.
 * Moving chunks rather than single items keeps the per-item cost of async iteration off the hot
 * path; only the outermost iterator hands out items one by one.
 */
export type Opener<T> = (ctx: OpenContext, skip: number) => AsyncIterator<T[]>;

/** How many items array and generated sources put in one chunk. */
const CHUNK = 256;

/** Drops the first `n` items of a chunk stream (the fallback fast-forward: re-run and discard). */
export async function* dropping<T>(it: AsyncIterator<T[]>, n: number): AsyncGenerator<T[]> {
  let left = n;
  try {
    while (true) {
      const r = await it.next();
      if (r.done) return;
      if (left >= r.value.length) {
        left -= r.value.length;
        continue;
      }
      const chunk = left > 0 ? r.value.slice(left) : r.value;
      left = 0;
      yield chunk;
    }
  } finally {
    await it.return?.();
  }
}

function isThenable<U>(v: U | Promise<U>): v is Promise<U> {
  return typeof (v as Promise<U>)?.then === 'function';
}

/** An iterator over one epoch of a dataset that knows its position (`state()`). */
export class DatasetIterator<T> implements AsyncIterableIterator<T> {
  private index: number;
  private chunk: T[] = [];
  private at = 0;
  constructor(
    private readonly inner: AsyncIterator<T[]>,
    readonly epoch: number,
    start: number,
  ) {
    this.index = start;
  }
  /** The next item of the epoch, or done at its end. */
  async next(): Promise<IteratorResult<T, undefined>> {
    while (this.at >= this.chunk.length) {
      const r = await this.inner.next();
      if (r.done) return { done: true, value: undefined };
      this.chunk = r.value;
      this.at = 0;
    }
    this.index++;
    return { done: false, value: this.chunk[this.at++] };
  }
  /**
   * Stops early (a `break`, an abort, `maxSteps`): items of the current chunk that were built but
   * never handed out are the pipeline's to free, so tensors among them (from a `map` that makes
   * tensors) are disposed rather than leaked.
   */
  async return(): Promise<IteratorResult<T, undefined>> {
    tf.dispose(this.chunk.slice(this.at) as unknown as tf.TensorContainer);
    this.chunk = [];
    await this.inner.return?.();
    return { done: true, value: undefined };
  }
  /** This iterator itself, so that it works in `for await`. */
  [Symbol.asyncIterator](): this {
    return this;
  }
  /** The position after the last item returned: resume with `dataset.iterator(state)`. */
  state(): DatasetState {
    return { epoch: this.epoch, index: this.index };
  }
}

/** Options of `dataset.shuffle`. */
export interface ShuffleOptions {
  /** Draw a new order each epoch (seeded by seed and epoch). Default true. */
  reshuffleEachEpoch?: boolean;
}

/** Options of `dataset.split`. */
export interface SplitOptions<T> {
  /** Split name → share, e.g. { train: 0.8, validation: 0.1, test: 0.1 } (normalized to sum 1). */
  ratios: Record<string, number>;
  /** Seed of the position hash when no `key` is given. Default 0. */
  seed?: number;
  /**
   * A stable key per item (e.g. the word). The split then depends only on the key's hash, so an
   * item never moves to another split when the data grows or is reordered.
   */
  key?: (item: T) => string;
}

/** Options of `dataset.bucketByLength`: padded batches of examples of similar lengths. */
export interface BucketOptions<T> extends PaddedBatchOptions<T> {
  /** The length an item is bucketed by. Default: the item's length (items must be sequences). */
  lengthOf?: (item: T) => number;
  /** Drop the incomplete batches left in the buckets at the end. Default false. */
  dropRemainder?: boolean;
}

/**
 * A lazy, asynchronous, re-iterable sequence of items: the pipeline of seqzoo. Every operation
 * returns a new dataset; nothing runs until it is iterated. Iterating is deterministic given the
 * epoch (shuffles are seeded by seed and epoch), which is what makes `state()` / resume work:
 * a resumed iterator re-opens the pipeline and fast-forwards `index` items — `map`, `batch`,
 * `paddedBatch`, `take`, `skip`, `prefetch` pass the skip upstream without computing the skipped
 * items, and array / generated sources jump straight to it; `filter`, `shuffle`,
 * `bucketByLength` and readers re-run and discard. Functions given to `map` and `filter` must be
 * pure (no state of their own) for resume to be exact.
 */
export class Dataset<T> implements AsyncIterable<T> {
  protected constructor(
    private readonly opener: Opener<T>,
    /** Number of items when known without iterating (arrays, generators of fixed size, …). */
    readonly size?: number,
  ) {}

  // ---- sources -------------------------------------------------------------------------------

  /** A dataset over an array; skipping is free. */
  static from<T>(items: readonly T[]): Dataset<T> {
    return new Dataset<T>(async function* (_ctx, skip) {
      for (let i = skip; i < items.length; i += CHUNK) yield items.slice(i, i + CHUNK);
    }, items.length);
  }

  /**
   * A dataset of `size` items made by `make(i)`, which must depend on i only (e.g. seeded by i):
   * random access, so skipping is free. `size` may be `Infinity`.
   */
  static generate<T>(size: number, make: (index: number) => T | Promise<T>): Dataset<T> {
    if (!(size >= 0)) throw new DataArgumentError(`size must be >= 0, got ${size}.`);
    return new Dataset<T>(async function* (_ctx, skip) {
      for (let i = skip; i < size; ) {
        const chunk: T[] = [];
        for (const end = Math.min(size, i + CHUNK); i < end; i++) {
          const v = make(i);
          chunk.push(isThenable(v) ? await v : v);
        }
        yield chunk;
      }
    }, size);
  }

  /**
   * A dataset from a function that returns a fresh (async) iterable each time it is called (each
   * epoch). Skipping re-reads and discards.
   */
  static fromIterable<T>(
    open: (ctx: OpenContext) => AsyncIterable<T> | Iterable<T>,
    size?: number,
  ): Dataset<T> {
    return new Dataset<T>((ctx, skip) => {
      const src = open(ctx);
      const gen = async function* () {
        if (Symbol.asyncIterator in src) for await (const x of src as AsyncIterable<T>) yield [x];
        else {
          let chunk: T[] = [];
          for (const x of src as Iterable<T>) {
            chunk.push(x);
            if (chunk.length === CHUNK) {
              yield chunk;
              chunk = [];
            }
          }
          if (chunk.length) yield chunk;
        }
      };
      return skip > 0 ? dropping(gen(), skip) : gen();
    }, size);
  }

  /** A dataset from a function that opens a stream of chunks (non-empty arrays) at `skip` — for readers. */
  static fromChunks<T>(open: Opener<T>, size?: number): Dataset<T> {
    return new Dataset<T>(open, size);
  }

  // ---- iteration ------------------------------------------------------------------------------

  /** Opens the pipeline at `skip` (internal protocol for operators; use `iterator()`). */
  open(ctx: OpenContext, skip = 0): AsyncIterator<T[]> {
    return this.opener(ctx, skip);
  }

  /** An iterator over one epoch, from the start of `epoch` or from a saved `state()`. */
  iterator(state: Partial<DatasetState> = {}): DatasetIterator<T> {
    const epoch = state.epoch ?? 0;
    const index = state.index ?? 0;
    if (!Number.isInteger(epoch) || epoch < 0 || !Number.isInteger(index) || index < 0)
      throw new DatasetStateError(
        `Not a dataset state: expected { epoch, index } with non-negative integers, got ${JSON.stringify(state)}.`,
      );
    if (this.size !== undefined && index > this.size)
      throw new DatasetStateError(
        `Cannot resume at index ${index}: this dataset has ${this.size} items. Was the state saved from another pipeline?`,
      );
    return new DatasetIterator(this.open({ epoch, salt: mixSeed(epoch) }, index), epoch, index);
  }

  /** Iterates one epoch from the start (`iterator()` with no state). */
  [Symbol.asyncIterator](): DatasetIterator<T> {
    return this.iterator();
  }

  /** All items of one epoch in an array (small datasets only). */
  async toArray(state?: Partial<DatasetState>): Promise<T[]> {
    const out: T[] = [];
    for await (const x of this.iterator(state)) out.push(x);
    return out;
  }

  /** Calls `fn` on each item of one epoch in turn, awaiting it. */
  async forEach(fn: (item: T) => void | Promise<void>): Promise<void> {
    for await (const x of this) await fn(x);
  }

  // ---- operators ------------------------------------------------------------------------------

  /** A dataset of `fn(item)` for each item (`fn` may be async). */
  map<U>(fn: (item: T) => U | Promise<U>): Dataset<U> {
    const up = this;
    return new Dataset<U>(async function* (ctx, skip) {
      for await (const chunk of iterate(up.open(ctx, skip))) {
        const out = new Array<U>(chunk.length);
        for (let i = 0; i < chunk.length; i++) {
          const v = fn(chunk[i]);
          out[i] = isThenable(v) ? await v : v;
        }
        yield out;
      }
    }, this.size);
  }

  /** The items for which `fn` holds (a type guard narrows the item type). */
  filter<S extends T>(fn: (item: T) => item is S): Dataset<S>;
  /** The items for which `fn` returns true (`fn` may be async). */
  filter(fn: (item: T) => boolean | Promise<boolean>): Dataset<T>;
  filter(fn: (item: T) => boolean | Promise<boolean>): Dataset<T> {
    const up = this;
    return new Dataset<T>((ctx, skip) => {
      const gen = async function* () {
        for await (const chunk of iterate(up.open(ctx, 0))) {
          const out: T[] = [];
          for (const x of chunk) {
            const keep = fn(x);
            if (isThenable(keep) ? await keep : keep) out.push(x);
          }
          if (out.length) yield out;
        }
      };
      return skip > 0 ? dropping(gen(), skip) : gen();
    });
  }

  /** The first `n` items. */
  take(n: number): Dataset<T> {
    checkNonNegativeInt('take(n)', n);
    const up = this;
    return new Dataset<T>(
      async function* (ctx, skip) {
        if (skip >= n) return;
        let left = n - skip;
        for await (const chunk of iterate(up.open(ctx, skip))) {
          if (chunk.length >= left) {
            yield chunk.length === left ? chunk : chunk.slice(0, left);
            return;
          }
          left -= chunk.length;
          yield chunk;
        }
      },
      this.size === undefined ? undefined : Math.min(n, this.size),
    );
  }

  /** All but the first `n` items. */
  skip(n: number): Dataset<T> {
    checkNonNegativeInt('skip(n)', n);
    return new Dataset<T>(
      (ctx, skip) => this.open(ctx, skip + n),
      this.size === undefined ? undefined : Math.max(0, this.size - n),
    );
  }

  /**
   * The dataset `count` times over (default: forever). Each pass gets its own salt, so a shuffle
   * upstream of `repeat` draws a new order per pass.
   */
  repeat(count = Number.POSITIVE_INFINITY): Dataset<T> {
    if (!(count >= 0)) throw new DataArgumentError(`repeat(count) needs count >= 0, got ${count}.`);
    const up = this;
    const n = up.size;
    return new Dataset<T>(
      async function* (ctx, skip) {
        let left = skip;
        for (let r = 0; r < count; r++) {
          // Whole passes are skipped without reading them when the size is known.
          if (n !== undefined && left >= n) {
            left -= n;
            continue;
          }
          const sub = { epoch: ctx.epoch, salt: mixSeed(ctx.salt, r + 1) };
          if (n !== undefined) {
            yield* iterate(up.open(sub, left));
            left = 0;
            continue;
          }
          // Unknown size: read the pass, dropping what is still to skip (it may span passes).
          let seen = 0;
          for await (const chunk of iterate(up.open(sub, 0))) {
            seen += chunk.length;
            if (left >= chunk.length) {
              left -= chunk.length;
              continue;
            }
            const out = left > 0 ? chunk.slice(left) : chunk;
            left = 0;
            yield out;
          }
          if (seen === 0) return; // an empty pass: stop instead of spinning
        }
      },
      n === undefined ? undefined : n * count,
    );
  }

  /**
   * A reproducible buffered shuffle (as tf.data): keeps `bufferSize` items and yields a random
   * one each step. With `bufferSize` ≥ the dataset size it is a full uniform shuffle. Seeded by
   * `seed` and (unless `reshuffleEachEpoch: false`) the epoch: same seed and epoch, same order.
   */
  shuffle(bufferSize: number, seed: number, options: ShuffleOptions = {}): Dataset<T> {
    checkPositiveInt('shuffle(bufferSize)', bufferSize);
    if (!Number.isFinite(seed))
      throw new DataArgumentError(`shuffle needs a numeric seed, got ${seed}.`);
    const { reshuffleEachEpoch = true } = options;
    const up = this;
    return new Dataset<T>((ctx, skip) => {
      const gen = async function* () {
        const rng = new Rng(mixSeed(seed, reshuffleEachEpoch ? ctx.salt : 0));
        const buf: T[] = [];
        for await (const chunk of iterate(up.open(ctx, 0))) {
          const out: T[] = [];
          for (const x of chunk) {
            if (buf.length < bufferSize) {
              buf.push(x);
              continue;
            }
            const j = rng.int(bufferSize);
            out.push(buf[j]);
            buf[j] = x;
          }
          if (out.length) yield out;
        }
        const out: T[] = [];
        while (buf.length > 0) {
          const j = rng.int(buf.length);
          out.push(buf[j]);
          buf[j] = buf[buf.length - 1];
          buf.pop();
          if (out.length === CHUNK) yield out.splice(0);
        }
        if (out.length) yield out;
      };
      return skip > 0 ? dropping(gen(), skip) : gen();
    }, this.size);
  }

  /** Groups of `size` items (the last one smaller unless `dropRemainder`). */
  batch(size: number, options: { dropRemainder?: boolean } = {}): Dataset<T[]> {
    checkPositiveInt('batch(size)', size);
    const { dropRemainder = false } = options;
    const up = this;
    const n = up.size;
    return new Dataset<T[]>(
      async function* (ctx, skip) {
        let buf: T[] = [];
        for await (const chunk of iterate(up.open(ctx, skip * size))) {
          const out: T[][] = [];
          for (const x of chunk) {
            buf.push(x);
            if (buf.length === size) {
              out.push(buf);
              buf = [];
            }
          }
          if (out.length) yield out;
        }
        if (buf.length > 0 && !dropRemainder) yield [buf];
      },
      n === undefined ? undefined : dropRemainder ? Math.floor(n / size) : Math.ceil(n / size),
    );
  }

  /**
   * Batches of `size` padded to the longest item in the batch (after the `maxLength` cut), with
   * lengths and a mask; see `PaddedBatch`. Items are token-id sequences, or objects whose
   * sequence fields are padded and whose other fields are collected into arrays.
   */
  paddedBatch(
    size: number,
    options: PaddedBatchOptions<T> & { dropRemainder?: boolean } = {},
  ): Dataset<Padded<T>> {
    return this.batch(size, options).map((items) => padItems(items, options));
  }

  /**
   * Groups items of similar length before padding, to waste less compute on padding (as
   * tf.data's bucket_by_sequence_length). Bucket k holds lengths in [boundaries[k-1],
   * boundaries[k]) — below the first boundary is bucket 0, at or above the last is the last
   * bucket — and is emitted as a padded batch when it holds `batchSizes[k]` items; what is left
   * is flushed at the end (unless `dropRemainder`). `batchSizes.length` = `boundaries.length + 1`.
   */
  bucketByLength(
    boundaries: number[],
    batchSizes: number[],
    options: BucketOptions<T> = {},
  ): Dataset<Padded<T>> {
    if (batchSizes.length !== boundaries.length + 1)
      throw new DataArgumentError(
        `bucketByLength needs one batch size per bucket: ${boundaries.length} boundaries make ${boundaries.length + 1} buckets, got ${batchSizes.length} batch sizes.`,
      );
    for (let i = 1; i < boundaries.length; i++)
      if (!(boundaries[i] > boundaries[i - 1]))
        throw new DataArgumentError(
          `bucketByLength boundaries must increase, got [${boundaries}].`,
        );
    batchSizes.forEach((b, i) => {
      checkPositiveInt(`batchSizes[${i}]`, b);
    });
    return new Dataset<Padded<T>>((ctx, skip) => {
      const gen = bucketItems(iterate(this.open(ctx, 0)), boundaries, batchSizes, options);
      return skip > 0 ? dropping(gen, skip) : gen;
    });
  }

  /**
   * Reads up to `chunks` chunks ahead (a chunk is one read block's rows or up to 256 items) while
   * the consumer works, overlapping reading and parsing with training steps.
   */
  prefetch(chunks = 2): Dataset<T> {
    checkPositiveInt('prefetch(chunks)', chunks);
    const up = this;
    return new Dataset<T>(async function* (ctx, skip) {
      const it = up.open(ctx, skip);
      const queue: Promise<IteratorResult<T[]>>[] = [];
      try {
        for (let i = 0; i < chunks; i++) queue.push(it.next());
        while (true) {
          const r = await queue.shift()!;
          if (r.done) return;
          queue.push(it.next());
          yield r.value;
        }
      } finally {
        await Promise.allSettled(queue);
        await it.return?.();
      }
    }, this.size);
  }

  /**
   * Deterministic splits. With `key`, an item's split depends only on the hash of its key
   * (stable when data is added); otherwise on the hash of (seed, position), so the dataset's
   * order must be deterministic (split before you shuffle). Shares are exact in expectation.
   */
  split<K extends string>(
    options: SplitOptions<T> & { ratios: Record<K, number> },
  ): Record<K, Dataset<T>> {
    const names = Object.keys(options.ratios) as K[];
    const shares = names.map((k) => options.ratios[k]);
    if (
      names.length === 0 ||
      shares.some((r) => !(r >= 0)) ||
      !(shares.reduce((a, b) => a + b, 0) > 0)
    )
      throw new DataArgumentError(
        `split ratios must be non-negative numbers with a positive sum, got ${JSON.stringify(options.ratios)}.`,
      );
    const total = shares.reduce((a, b) => a + b, 0);
    // Cumulative thresholds on a 2^32 hash space.
    let acc = 0;
    const cuts = shares.map((r) => {
      acc += r / total;
      return Math.round(acc * 0x100000000);
    });
    const bucketOf = (h: number) => {
      for (let i = 0; i < cuts.length; i++) if (h < cuts[i]) return i;
      return cuts.length - 1;
    };
    const { key, seed = 0 } = options;
    const out = {} as Record<K, Dataset<T>>;
    names.forEach((name, which) => {
      const up = this;
      out[name] = new Dataset<T>((ctx, skip) => {
        const gen = async function* () {
          let i = 0;
          for await (const chunk of iterate(up.open(ctx, 0))) {
            const out: T[] = [];
            for (const x of chunk) {
              const h = key ? hashString(key(x), seed) : mixSeed(seed, i);
              i++;
              if (bucketOf(h) === which) out.push(x);
            }
            if (out.length) yield out;
          }
        };
        return skip > 0 ? dropping(gen(), skip) : gen();
      });
    });
    return out;
  }
}

/** Wraps an AsyncIterator for `for await` (closing it when the loop exits early). */
export function iterate<T>(it: AsyncIterator<T>): AsyncIterable<T> {
  return { [Symbol.asyncIterator]: () => it };
}
