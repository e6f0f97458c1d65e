import { Dataset, dropping, type OpenContext } from './dataset';
import { DataArgumentError, type ReaderError } from './errors';
import { isReopenable, type SourceLike } from './sources';

/** Options of every reader (`readLines`, `readCsv`, `readJsonl`): what to do with a bad row. */
export interface ReaderOptions {
  /** What to do with a bad line or row: throw a `ReaderError` naming the line (default) or skip it. */
  onError?: 'throw' | 'skip';
  /** Called with each skipped row's error when `onError` is 'skip'. */
  onSkip?: (error: ReaderError) => void;
}

/** Counts of the current (or last) pass of a reader. */
export interface ReaderStats {
  /** Rows dropped as bad with `onError: 'skip'`. */
  skipped: number;
  /** The first 100 errors of skipped rows. */
  errors: ReaderError[];
}

/**
 * A dataset read from a byte source in constant memory. `reader.stats` counts the rows skipped
 * in the current (or last) pass. Re-iterable when the source is (Blob, URL, bytes, a factory).
 */
export class Reader<T> extends Dataset<T> {
  readonly stats: ReaderStats;

  constructor(
    source: SourceLike,
    options: ReaderOptions,
    /** Yields the rows in chunks (non-empty arrays), e.g. one per decoded block. */
    read: (source: SourceLike, fail: (e: ReaderError) => void) => AsyncGenerator<T[]>,
  ) {
    const stats: ReaderStats = { skipped: 0, errors: [] };
    const onError = options.onError ?? 'throw';
    if (onError !== 'throw' && onError !== 'skip')
      throw new DataArgumentError(
        `onError must be 'throw' or 'skip', got ${JSON.stringify(onError)}.`,
      );
    const fail = (e: ReaderError) => {
      if (onError === 'throw') throw e;
      stats.skipped++;
      if (stats.errors.length < 100) stats.errors.push(e);
      options.onSkip?.(e);
    };
    const reopenable = isReopenable(source);
    let opened = false;
    super((_ctx: OpenContext, skip: number) => {
      if (opened && !reopenable)
        throw new DataArgumentError(
          'This source is a stream and was already read; streams can be read once. For several passes pass a function that returns a fresh stream, or a Blob/File/URL (in Node: fromFile(path)).',
        );
      opened = true;
      stats.skipped = 0;
      stats.errors = [];
      const gen = read(source, fail);
      return skip > 0 ? dropping(gen, skip) : gen;
    });
    this.stats = stats;
  }
}
