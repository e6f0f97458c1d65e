import { ReaderError } from './errors';
import { Reader, type ReaderOptions } from './reader';
import type { SourceLike } from './sources';
import { textBlocks } from './text-blocks';

/** Options of `readLines`. */
export interface LinesOptions extends ReaderOptions {
  /** Leave out empty lines. Default false. */
  skipEmpty?: boolean;
}

/**
 * The lines of each decoded block (CR stripped), passed to `each(text, line)`; yields the non-empty
 * arrays `each` fills. Shared by the line and JSONL readers.
 */
export async function* lineChunks<T>(
  source: SourceLike,
  fail: (e: ReaderError) => void,
  each: (text: string, line: number, out: T[]) => void,
): AsyncGenerator<T[]> {
  let line = 1; // blocks end at line breaks, so counting lines here numbers them all
  for await (const block of textBlocks(source)) {
    const s = block.text;
    const out: T[] = [];
    const first = line;
    let start = 0;
    while (start < s.length) {
      let end = s.indexOf('\n', start);
      const next = end < 0 ? s.length : end + 1;
      if (end < 0) end = s.length;
      if (end > start && s.charCodeAt(end - 1) === 13) end--;
      const bad = block.bad?.get(line - first);
      if (bad) fail(new ReaderError('invalid-utf8', line, bad));
      else each(s.slice(start, end), line, out);
      line++;
      start = next;
    }
    if (out.length) yield out;
  }
}

/**
 * The lines of a UTF-8 source, in constant memory: LF or CRLF line ends, a BOM stripped, a
 * character split across chunks decoded whole. A line with an invalid UTF-8 sequence is a
 * `ReaderError` naming the line (or skipped and counted with `onError: 'skip'`).
 */
export function readLines(source: SourceLike, options: LinesOptions = {}): Reader<string> {
  const { skipEmpty = false } = options;
  return new Reader<string>(source, options, (src, fail) =>
    lineChunks<string>(src, fail, (text, _line, out) => {
      if (!skipEmpty || text !== '') out.push(text);
    }),
  );
}
