import { ReaderError } from './errors';

/** One parsed CSV record: its fields, the line it starts on, and what was wrong with it, if anything. */
export interface CsvRecord {
  fields: string[];
  /** 1-based line where the record starts. */
  line: number;
  /** Line where it ends (greater than `line` when a quoted field holds line breaks). */
  endLine: number;
  error: ReaderError | null;
}

const QUOTE = 34;
const NL = 10;

function indexOrEnd(s: string, ch: string, from: number): number {
  const k = s.indexOf(ch, from);
  return k < 0 ? s.length : k;
}
const CR = 13;

enum State {
  FieldStart,
  Unquoted,
  Quoted,
  AfterQuote,
}

/**
 * An RFC 4180 state machine that is fed decoded text in pieces (each ending at a line break,
 * except the last) and keeps its state across them: quoted fields, doubled quotes, delimiters and
 * newlines inside quotes, CRLF or LF record ends. Never throws: a malformed record (a quote inside
 * an unquoted field, text after a closing quote, an unterminated quote at the end) is returned
 * with `error` set, and parsing resumes at the next record.
 */
export class CsvParser {
  private readonly delim: number;
  private readonly delimChar: string;
  private state = State.FieldStart;
  private fields: string[] = [];
  private field = '';
  private recordLine = 1;
  private line = 1;
  private quoteLine = 1;
  private error: ReaderError | null = null;

  /** The 1-based line the next character belongs to (every line break fed so far, plus one). */
  get currentLine(): number {
    return this.line;
  }

  constructor(delimiter = ',') {
    if (delimiter.length !== 1 || delimiter === '"' || delimiter === '\n' || delimiter === '\r')
      throw new Error(
        `CSV delimiter must be one character other than '"', CR or LF, got ${JSON.stringify(delimiter)}.`,
      );
    this.delim = delimiter.charCodeAt(0);
    this.delimChar = delimiter;
  }

  private markBad(kind: ReaderError['kind'], detail: string, line = this.recordLine): void {
    if (!this.error) this.error = new ReaderError(kind, line, detail);
  }

  private endRecord(out: CsvRecord[]): void {
    const f = this.fields;
    // A blank line (one empty unquoted field) is not a record.
    if (!this.blank || this.error)
      out.push({ fields: f, line: this.recordLine, endLine: this.line, error: this.error });
    this.fields = [];
    this.error = null;
    this.line++;
    this.recordLine = this.line;
  }

  private blank = false;

  /** Parses `s`, appending complete records to `out`. */
  push(s: string, out: CsvRecord[]): void {
    const n = s.length;
    const delim = this.delim;
    let i = 0;
    let nd = -1; // next delimiter at or after i (n if none)
    let nn = -1; // next line feed
    let nq = -1; // next quote
    while (i < n) {
      const state = this.state;
      if (state === State.FieldStart || state === State.Unquoted) {
        if (state === State.FieldStart && s.charCodeAt(i) === QUOTE) {
          this.state = State.Quoted;
          this.quoteLine = this.line;
          i++;
          continue;
        }
        // Native indexOf scans (cached until passed) instead of a per-character loop.
        if (nd < i) nd = indexOrEnd(s, this.delimChar, i);
        if (nn < i) nn = indexOrEnd(s, '\n', i);
        if (nq < i) nq = indexOrEnd(s, '"', i);
        const j = Math.min(nd, nn);
        const c = j < n ? s.charCodeAt(j) : 0;
        if (nq < j)
          this.markBad(
            'stray-quote',
            `a '"' inside an unquoted field (column ${this.fields.length + 1}); quote the whole field and double the quote ("")`,
          );
        if (j === n) {
          // The piece ended inside an unquoted field (only at the end of the input).
          this.field += s.slice(i, j);
          this.state = State.Unquoted;
          return;
        }
        if (c === NL) {
          const end = j > i && s.charCodeAt(j - 1) === CR ? j - 1 : j;
          const v = this.field + s.slice(i, end);
          this.fields.push(v);
          this.blank = this.fields.length === 1 && v === '' && state === State.FieldStart;
          this.endRecord(out);
        } else this.fields.push(this.field + s.slice(i, j));
        this.field = '';
        this.state = State.FieldStart;
        i = j + 1;
      } else if (state === State.Quoted) {
        const j = s.indexOf('"', i);
        const piece = j < 0 ? s.slice(i) : s.slice(i, j);
        let k = piece.indexOf('\n');
        while (k >= 0) {
          this.line++;
          k = piece.indexOf('\n', k + 1);
        }
        this.field += piece;
        if (j < 0) return;
        i = j + 1;
        this.state = State.AfterQuote;
      } else {
        const c = s.charCodeAt(i);
        if (c === QUOTE) {
          this.field += '"';
          this.state = State.Quoted;
          i++;
        } else if (c === delim) {
          this.fields.push(this.field);
          this.field = '';
          this.state = State.FieldStart;
          i++;
        } else if (c === NL || (c === CR && s.charCodeAt(i + 1) === NL)) {
          this.fields.push(this.field);
          this.field = '';
          this.state = State.FieldStart;
          this.blank = false;
          this.endRecord(out);
          i += c === CR ? 2 : 1;
        } else if (c === CR && i + 1 === n) {
          return; // the end of the input: finish() closes the field
        } else {
          this.markBad(
            'stray-quote',
            `text after the closing quote of column ${this.fields.length + 1}; quote the whole field and double inner quotes ("")`,
          );
          this.state = State.Unquoted; // resync: the rest of the field is read as unquoted text
        }
      }
    }
  }

  /** Ends the input: flushes a last record without a line break, or reports an unterminated quote. */
  finish(out: CsvRecord[]): void {
    const state = this.state;
    if (state === State.Quoted)
      this.markBad(
        'unterminated-quote',
        `the quote opened on line ${this.quoteLine} is never closed before the end of the input`,
      );
    if (state !== State.FieldStart || this.fields.length > 0) {
      this.fields.push(this.field);
      out.push({
        fields: this.fields,
        line: this.recordLine,
        endLine: this.line,
        error: this.error,
      });
    }
    this.fields = [];
    this.field = '';
    this.error = null;
    this.state = State.FieldStart;
  }
}
