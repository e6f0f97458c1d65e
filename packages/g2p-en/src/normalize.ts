// Text → the words to pronounce and the punctuation between them: numbers, ordinals, years,
// decimals, money, percentages and common abbreviations spelled out in words (American style).
import { numberToWords } from '@seqzoo/data';

/** One token of normalized text. */
export interface NormalizedToken {
  /** A word to pronounce (lower-case) or a punctuation mark as written. */
  text: string;
  kind: 'word' | 'punctuation';
  /** The span of the input it comes from ('12' for 'twelve'; 'e.g.' for 'for' and 'example'). */
  source: string;
}

/** Abbreviations spelled out (case-insensitive, with their period). */
export const ABBREVIATIONS: Readonly<Record<string, string>> = {
  'e.g.': 'for example',
  'i.e.': 'that is',
  'etc.': 'et cetera',
  'vs.': 'versus',
  'mr.': 'mister',
  'mrs.': 'missus',
  'ms.': 'miz',
  'dr.': 'doctor',
  'prof.': 'professor',
  'st.': 'saint',
  'jr.': 'junior',
  'sr.': 'senior',
  'mt.': 'mount',
  'approx.': 'approximately',
  'dept.': 'department',
  'inc.': 'incorporated',
  'ltd.': 'limited',
  'jan.': 'january',
  'feb.': 'february',
  'aug.': 'august',
  'sept.': 'september',
  'oct.': 'october',
  'nov.': 'november',
  'dec.': 'december',
};

const CURRENCIES: Readonly<Record<string, [string, string, string, string]>> = {
  $: ['dollar', 'dollars', 'cent', 'cents'],
  '£': ['pound', 'pounds', 'penny', 'pence'],
  '€': ['euro', 'euros', 'cent', 'cents'],
};

const ORDINALS: Readonly<Record<string, string>> = {
  one: 'first',
  two: 'second',
  three: 'third',
  five: 'fifth',
  eight: 'eighth',
  nine: 'ninth',
  twelve: 'twelfth',
};

const DIGITS = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'];

/** "twenty-one" → "twenty-first", "one hundred" → "one hundredth", "twelve" → "twelfth". */
export function ordinalWords(n: number): string {
  const words = cardinalWords(n).split(' ');
  const parts = words[words.length - 1].split('-');
  const last = parts[parts.length - 1];
  parts[parts.length - 1] =
    ORDINALS[last] ?? (last.endsWith('y') ? `${last.slice(0, -1)}ieth` : `${last}th`);
  words[words.length - 1] = parts.join('-');
  return words.join(' ');
}

/** Integers of any size: words below a trillion, digit by digit beyond. */
function cardinalWords(n: number): string {
  return n < 1e12 ? numberToWords(n) : digitWords(String(n));
}

function digitWords(digits: string): string {
  return [...digits].map((d) => DIGITS[Number(d)]).join(' ');
}

/**
 * A four-digit year: 1999 → "nineteen ninety-nine", 1905 → "nineteen oh five", 1900 →
 * "nineteen hundred", 2000–2009 → "two thousand (five)", 2024 → "twenty twenty-four".
 */
export function yearWords(year: number): string {
  if (year >= 2000 && year < 2010) return numberToWords(year);
  const high = Math.floor(year / 100);
  const low = year % 100;
  const first = numberToWords(high);
  if (low === 0) return `${first} hundred`;
  return `${first} ${low < 10 ? `oh ${DIGITS[low]}` : numberToWords(low)}`;
}

/** "1990s" → "nineteen nineties": the last word in the plural. */
function plural(words: string): string {
  const parts = words.split(/([ -])/);
  const last = parts[parts.length - 1];
  parts[parts.length - 1] = last.endsWith('y') ? `${last.slice(0, -1)}ies` : `${last}s`;
  return parts.join('');
}

/** Whether a four-digit number is read as a year (1100–2099, not after a currency sign). */
const isYear = (digits: string) => /^(1[1-9]|20)\d\d$/.test(digits);

/** The words of a number as written ('1,234', '3.14', '007', '1999'). */
export function numberWords(written: string, asYear = true): string {
  const [whole, fraction] = written.replace(/,/g, '').split('.');
  let words: string;
  if (whole.length > 1 && whole.startsWith('0')) words = digitWords(whole);
  else if (asYear && fraction === undefined && !written.includes(',') && isYear(whole))
    words = yearWords(Number(whole));
  else if (whole.length > 15) words = digitWords(whole);
  else words = cardinalWords(Number(whole));
  return fraction === undefined ? words : `${words} point ${digitWords(fraction)}`;
}

function moneyWords(symbol: string, written: string): string {
  const [unit, units, sub, subs] = CURRENCIES[symbol];
  const [whole, fraction] = written.replace(/,/g, '').split('.');
  const n = Number(whole);
  const cents = fraction === undefined ? 0 : Number(fraction.padEnd(2, '0').slice(0, 2));
  const parts: string[] = [];
  if (n > 0 || cents === 0) parts.push(`${numberWords(whole, false)} ${n === 1 ? unit : units}`);
  if (cents > 0) parts.push(`${numberToWords(cents)} ${cents === 1 ? sub : subs}`);
  return parts.join(' ');
}

const ABBREVIATION = Object.keys(ABBREVIATIONS)
  .sort((a, b) => b.length - a.length)
  .map((a) => a.replace(/\./g, '\\.'))
  .join('|');
const LETTER = '[\\p{L}\\p{M}]';
const NUMBER = '\\d{1,3}(?:,\\d{3})+(?:\\.\\d+)?|\\d+(?:\\.\\d+)?';
const TOKEN = new RegExp(
  [
    `(?<abbr>(?<![\\p{L}\\d])(?:${ABBREVIATION}))`,
    `(?<money>[$£€])(?<amount>${NUMBER})`,
    `(?<minus>(?<![\\p{L}\\d.])-)?(?<number>${NUMBER})(?<suffix>st|nd|rd|th|s|%)?(?![\\p{L}\\d])`,
    // Initialisms with periods (U.S., a.m.), then words with inner apostrophes, hyphens, periods.
    `(?<initials>(?:${LETTER}\\.){2,})`,
    `(?<word>${LETTER}+(?:['’.-]${LETTER}+)*|\\d+${LETTER}+\\w*)`,
    `(?<ellipsis>\\.\\.\\.|…)`,
    `(?<punct>[^\\s\\p{L}\\d])`,
  ].join('|'),
  'giu',
);

/**
 * Splits text into words and punctuation, spelling out what is not a word: numbers (1,234;
 * 3.14 → "three point one four"; 007 digit by digit), ordinals (21st), years (1100–2099),
 * decades (1990s), money ($3.50), percentages, negative numbers and the abbreviations in
 * `ABBREVIATIONS`. Words are lower-cased; curly apostrophes become straight ones.
 */
export function normalizeText(text: string): NormalizedToken[] {
  if (typeof text !== 'string') {
    throw new TypeError(`normalizeText takes a string, got ${typeof text}.`);
  }
  const out: NormalizedToken[] = [];
  const words = (spelled: string, source: string) => {
    for (const w of spelled.split(' ')) out.push({ text: w, kind: 'word', source });
  };
  for (const m of text.normalize('NFC').matchAll(TOKEN)) {
    const g = m.groups ?? {};
    const source = m[0];
    if (g.abbr) words(ABBREVIATIONS[g.abbr.toLowerCase()], source);
    else if (g.money) words(moneyWords(g.money, g.amount), source);
    else if (g.number) {
      const suffix = g.suffix?.toLowerCase();
      const integer = !g.number.includes('.');
      let spelled: string;
      if (integer && (suffix === 'st' || suffix === 'nd' || suffix === 'rd' || suffix === 'th'))
        spelled = ordinalWords(Number(g.number.replace(/,/g, '')));
      else if (suffix === 's') spelled = plural(numberWords(g.number));
      else spelled = numberWords(g.number, !suffix && !g.minus);
      if (suffix === '%') spelled += ' percent';
      if (g.minus) spelled = `minus ${spelled}`;
      words(spelled, source);
    } else if (g.initials) out.push({ text: source.toLowerCase(), kind: 'word', source });
    else if (g.word)
      out.push({ text: source.toLowerCase().replace(/’/g, "'"), kind: 'word', source });
    else out.push({ text: source, kind: 'punctuation', source });
  }
  return out;
}
