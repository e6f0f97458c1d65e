import { Dataset } from '../dataset';
import { checkNonNegativeInt, checkPositiveInt, DataArgumentError } from '../errors';
import { mixSeed, Rng } from '../random';
import { type CalendarDate, DATE_FORMATS, dateFromDays, daysOf, isoDate } from './dates';
import { numberToWords } from './number-words';

/** One example of a seq2seq task: text in, text out (tokenize with `charTokenizer`). */
export interface Seq2SeqPair {
  source: string;
  target: string;
}

/** Options of the synthetic sequence tasks: how many examples, and the seed. */
export interface TaskOptions {
  /** Number of examples. Default 10,000. */
  size?: number;
  /** Example i depends only on (seed, i): same seed, same data, and resuming skips for free. Default 0. */
  seed?: number;
}

/** Options of the symbol-sequence tasks (copy, reverse, sort): alphabet and lengths. */
export interface SequenceTaskOptions extends TaskOptions {
  /** Symbols drawn uniformly. Default the ten digits. */
  alphabet?: string;
  /** Default 1. */
  minLength?: number;
  /** Default 10. */
  maxLength?: number;
}

function task(
  options: TaskOptions,
  name: string,
  make: (rng: Rng) => Seq2SeqPair,
): Dataset<Seq2SeqPair> {
  const { size = 10_000, seed = 0 } = options;
  checkNonNegativeInt(`${name} size`, size);
  const salt = mixSeed(seed, name.length, name.charCodeAt(0));
  return Dataset.generate(size, (i) => make(new Rng(mixSeed(salt, i))));
}

function sequenceTask(
  options: SequenceTaskOptions,
  name: string,
  transform: (symbols: string[]) => string[],
): Dataset<Seq2SeqPair> {
  const { alphabet = '0123456789', minLength = 1, maxLength = 10 } = options;
  const symbols = Array.from(alphabet);
  if (symbols.length === 0) throw new DataArgumentError(`${name}: alphabet must not be empty.`);
  checkPositiveInt(`${name} minLength`, minLength);
  if (!(Number.isInteger(maxLength) && maxLength >= minLength))
    throw new DataArgumentError(
      `${name}: maxLength must be an integer >= minLength (${minLength}), got ${maxLength}.`,
    );
  return task(options, name, (rng) => {
    const n = rng.int(minLength, maxLength + 1);
    const s = Array.from({ length: n }, () => rng.pick(symbols));
    return { source: s.join(''), target: transform([...s]).join('') };
  });
}

/** "3141" → "3141" */
export function copyTask(options: SequenceTaskOptions = {}): Dataset<Seq2SeqPair> {
  return sequenceTask(options, 'copy', (s) => s);
}

/** "3141" → "1413" */
export function reverseTask(options: SequenceTaskOptions = {}): Dataset<Seq2SeqPair> {
  return sequenceTask(options, 'reverse', (s) => s.reverse());
}

/** "3141" → "1134" (by code point) */
export function sortTask(options: SequenceTaskOptions = {}): Dataset<Seq2SeqPair> {
  return sequenceTask(options, 'sort', (s) => s.sort());
}

/** "123+45" → "168"; each operand has 1 to `maxDigits` digits (default 3), uniformly many. */
export function additionTask(
  options: TaskOptions & { maxDigits?: number } = {},
): Dataset<Seq2SeqPair> {
  const { maxDigits = 3 } = options;
  checkPositiveInt('addition maxDigits', maxDigits);
  if (maxDigits > 15)
    throw new DataArgumentError(`addition maxDigits must be <= 15, got ${maxDigits}.`);
  const operand = (rng: Rng) => {
    const digits = rng.int(1, maxDigits + 1);
    return digits === 1 ? rng.int(10) : rng.int(10 ** (digits - 1), 10 ** digits);
  };
  return task(options, 'addition', (rng) => {
    const a = operand(rng);
    const b = operand(rng);
    return { source: `${a}+${b}`, target: String(a + b) };
  });
}

/** Options of the date-normalisation task: the range of dates drawn. */
export interface DateTaskOptions extends TaskOptions {
  /** First date. Default 1950-01-01 (two-digit years are read 1950–2049). */
  from?: CalendarDate;
  /** Last date. Default 2049-12-31. */
  to?: CalendarDate;
  /** Format names from DATE_FORMATS; default all of them, drawn uniformly. */
  formats?: string[];
}

/** Date normalization: "3rd of March 2019", "03/03/19", "Mar 3, 2019", … → "2019-03-03". */
export function dateTask(options: DateTaskOptions = {}): Dataset<Seq2SeqPair> {
  const {
    from = { year: 1950, month: 1, day: 1 },
    to = { year: 2049, month: 12, day: 31 },
    formats = Object.keys(DATE_FORMATS),
  } = options;
  for (const f of formats)
    if (!DATE_FORMATS[f])
      throw new DataArgumentError(
        `Unknown date format '${f}'. Formats: ${Object.keys(DATE_FORMATS).join(', ')}.`,
      );
  const lo = daysOf(from);
  const hi = daysOf(to);
  if (!(hi >= lo))
    throw new DataArgumentError(
      `dateTask: 'to' (${isoDate(to)}) is before 'from' (${isoDate(from)}).`,
    );
  return task(options, 'date', (rng) => {
    const d = dateFromDays(rng.int(lo, hi + 1));
    return { source: DATE_FORMATS[rng.pick(formats)](d), target: isoDate(d) };
  });
}

/** "1234" → "one thousand two hundred thirty-four"; numbers drawn log-uniformly below `max` (default 10^6). */
export function numberWordsTask(
  options: TaskOptions & { max?: number } = {},
): Dataset<Seq2SeqPair> {
  const { max = 1_000_000 } = options;
  if (!(Number.isInteger(max) && max >= 1 && max <= 1e12))
    throw new DataArgumentError(`numberWords max must be an integer in [1, 10^12], got ${max}.`);
  const digits = String(max - 1).length;
  return task(options, 'number-words', (rng) => {
    // Pick a digit count first so that small and large numbers are equally common.
    const d = rng.int(1, digits + 1);
    const lo = d === 1 ? 0 : 10 ** (d - 1);
    const hi = Math.min(max, 10 ** d);
    const n = lo + Math.floor(rng.float() * (hi - lo));
    return { source: String(n), target: numberToWords(n) };
  });
}
