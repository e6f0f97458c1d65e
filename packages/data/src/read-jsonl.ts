import { ReaderError } from './errors';
import { lineChunks } from './read-lines';
import { Reader, type ReaderOptions } from './reader';
import type { SourceLike } from './sources';

/** JSON Lines: one JSON value per line (blank lines ignored); a line that is not JSON is a bad row. */
export function readJsonl<T = unknown>(source: SourceLike, options: ReaderOptions = {}): Reader<T> {
  return new Reader<T>(source, options, (src, fail) =>
    lineChunks<T>(src, fail, (text, line, out) => {
      if (text.trim() === '') return;
      try {
        out.push(JSON.parse(text) as T);
      } catch (e) {
        fail(
          new ReaderError(
            'invalid-json',
            line,
            `not valid JSON (${(e as Error).message}): ${JSON.stringify(text.length > 60 ? `${text.slice(0, 60)}…` : text)}`,
          ),
        );
      }
    }),
  );
}
