import { CsvParser, type CsvRecord } from './csv-parser';
import { DataArgumentError, ReaderError } from './errors';
import { Reader, type ReaderOptions } from './reader';
import type { SourceLike } from './sources';
import { textBlocks } from './text-blocks';

/** Options of `readCsv`: delimiter, header, the columns to keep, and bad-row handling. */
export interface CsvOptions extends ReaderOptions {
  /** Field delimiter, one character. Default ',' (readTsv: tab). */
  delimiter?: string;
  /** The first record names the columns; rows are then objects keyed by name. Default true. */
  header?: boolean;
  /** Keep only these columns (by header name), in this order. Needs `header`. */
  columns?: string[];
}

/** A CSV row with a header: field values by column name. */
export type CsvRow = Record<string, string>;

/**
 * CSV per RFC 4180, streamed in constant memory: quoted fields, doubled quotes, delimiters and
 * line breaks inside quotes, LF or CRLF, a BOM, a header row, column selection by name. Bad rows
 * (a stray quote, a wrong number of fields, an invalid UTF-8 sequence, an unterminated quote at
 * the end) throw a `ReaderError` with the row's line, or are skipped and counted
 * (`onError: 'skip'`, see `reader.stats`). A blank line is not a row.
 */
export function readCsv(
  source: SourceLike,
  options?: CsvOptions & { header?: true },
): Reader<CsvRow>;
export function readCsv(
  source: SourceLike,
  options: CsvOptions & { header: false },
): Reader<string[]>;
export function readCsv(source: SourceLike, options: CsvOptions = {}): Reader<any> {
  const { delimiter = ',', header = true, columns } = options;
  if (columns && !header)
    throw new DataArgumentError(
      'columns selects by header name and needs header: true; without a header, map the rows (string[]) yourself.',
    );
  new CsvParser(delimiter); // validate the delimiter now, not at the first read
  return new Reader<CsvRow | string[]>(source, options, async function* (src, fail) {
    const parser = new CsvParser(delimiter);
    let names: string[] | null = null;
    let picked: { name: string; at: number }[] | null = null;
    let width = -1;
    const bad = new Map<number, string>();
    const records: CsvRecord[] = [];

    function emit(list: CsvRecord[], out: (CsvRow | string[])[]): void {
      for (const r of list) {
        if (bad.size > 0) {
          let msg: string | undefined;
          for (let l = r.line; l <= r.endLine && !msg; l++) msg = bad.get(l);
          for (const l of bad.keys()) if (l <= r.endLine) bad.delete(l);
          if (msg) {
            if (names || !header) {
              fail(new ReaderError('invalid-utf8', r.line, msg));
              continue;
            }
            throw new ReaderError('invalid-utf8', r.line, msg, true);
          }
        }
        if (r.error) {
          if (names || !header) {
            fail(r.error);
            continue;
          }
          // no header, nothing can be read
          throw new ReaderError(r.error.kind, r.error.line, r.error.detail, true);
        }
        const f = r.fields;
        if (header && !names) {
          names = f;
          width = f.length;
          if (columns) {
            picked = columns.map((name) => {
              const at = f.indexOf(name);
              if (at < 0)
                throw new DataArgumentError(
                  `Column '${name}' is not in the header (line ${r.line}): ${f.map((x) => `'${x}'`).join(', ')}.`,
                );
              return { name, at };
            });
          }
          continue;
        }
        if (width < 0) width = f.length;
        if (f.length !== width) {
          fail(
            new ReaderError(
              'column-count',
              r.line,
              `expected ${width} fields (${header ? 'as in the header' : 'as in the first row'}), got ${f.length}`,
            ),
          );
          continue;
        }
        if (!header) {
          out.push(f);
          continue;
        }
        const row: CsvRow = {};
        if (picked) for (const p of picked) row[p.name] = f[p.at];
        else for (let i = 0; i < width; i++) row[names![i]] = f[i];
        out.push(row);
      }
    }

    for await (const block of textBlocks(src)) {
      if (block.bad) for (const [l, m] of block.bad) bad.set(parser.currentLine + l, m);
      records.length = 0;
      parser.push(block.text, records);
      const rows: (CsvRow | string[])[] = [];
      emit(records, rows);
      if (rows.length) yield rows;
    }
    records.length = 0;
    parser.finish(records);
    const rows: (CsvRow | string[])[] = [];
    emit(records, rows);
    if (rows.length) yield rows;
  });
}

/** Tab-separated values: `readCsv` with a tab delimiter (same quoting rules). */
export function readTsv(
  source: SourceLike,
  options?: CsvOptions & { header?: true },
): Reader<CsvRow>;
export function readTsv(
  source: SourceLike,
  options: CsvOptions & { header: false },
): Reader<string[]>;
export function readTsv(source: SourceLike, options: CsvOptions = {}): Reader<any> {
  return readCsv(source, { ...options, delimiter: options.delimiter ?? '\t' } as CsvOptions & {
    header: false;
  });
}
