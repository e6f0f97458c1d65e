import { describe, expect, it } from 'vitest';
import { normalizeText, numberWords, ordinalWords, yearWords } from './normalize';

/** The normalized text as one string: words as they are, punctuation in brackets. */
const said = (text: string) =>
  normalizeText(text)
    .map((t) => (t.kind === 'word' ? t.text : `[${t.text}]`))
    .join(' ');

describe('normalizeText', () => {
  it("spells the issue's example: number, abbreviation, quotes and the final period kept", () => {
    expect(said('Read 12 new words, e.g. "zorbl".')).toBe(
      'read twelve new words [,] for example ["] zorbl ["] [.]',
    );
  });

  it('keeps where each word came from', () => {
    const tokens = normalizeText('Chapter 21, Mr. Zorbl');
    expect(tokens).toEqual([
      { text: 'chapter', kind: 'word', source: 'Chapter' },
      { text: 'twenty-one', kind: 'word', source: '21' },
      { text: ',', kind: 'punctuation', source: ',' },
      { text: 'mister', kind: 'word', source: 'Mr.' },
      { text: 'zorbl', kind: 'word', source: 'Zorbl' },
    ]);
  });

  it('numbers: thousands separators, decimals, leading zeros, negatives, percentages', () => {
    expect(said('1,234,567')).toBe(
      'one million two hundred thirty-four thousand five hundred sixty-seven',
    );
    expect(said('3.14.')).toBe('three point one four [.]');
    expect(said('agent 007')).toBe('agent zero zero seven');
    expect(said('it was -7 today')).toBe('it was minus seven today');
    expect(said('5-6')).toBe('five [-] six');
    expect(said('50% off')).toBe('fifty percent off');
    expect(said('10000')).toBe('ten thousand');
  });

  it('ordinals, years and decades', () => {
    expect(said('the 1st, 2nd, 3rd, 12th and 101st')).toBe(
      'the first [,] second [,] third [,] twelfth and one hundred first',
    );
    expect(said('in 1999, 1905, 1900, 2005, 2024')).toBe(
      'in nineteen ninety-nine [,] nineteen oh five [,] nineteen hundred [,] two thousand five [,] twenty twenty-four',
    );
    expect(said('the 1990s and 2000s')).toBe('the nineteen nineties and two thousands');
    // Not years: with a separator, after a currency sign, below 1100.
    expect(said('1,999 and $1999 and 1066')).toBe(
      'one thousand nine hundred ninety-nine and one thousand nine hundred ninety-nine dollars and one thousand sixty-six',
    );
  });

  it('money', () => {
    expect(said('$3.50')).toBe('three dollars fifty cents');
    expect(said('$1')).toBe('one dollar');
    expect(said('$0.99')).toBe('ninety-nine cents');
    expect(said('£2.01')).toBe('two pounds one penny');
    expect(said('€5')).toBe('five euros');
  });

  it('abbreviations, case-insensitive, only as whole words', () => {
    expect(said('Dr. Smith vs. Prof. Jones, i.e. a feud etc.')).toBe(
      'doctor smith versus professor jones [,] that is a feud et cetera',
    );
    expect(said('Mrs. Jan. Sept.')).toBe('missus january september');
    // "dr." inside a word is not Dr.
    expect(said('hydr.')).toBe('hydr [.]');
  });

  it('words: apostrophes (curly ones straightened), hyphens, initialisms, accents', () => {
    expect(said('Don’t stop state-of-the-art U.S. café')).toBe(
      "don't stop state-of-the-art u.s. café",
    );
    expect(said('Wait... what?! (yes) — no')).toBe('wait [...] what [?] [!] [(] yes [)] [—] no');
  });

  it('empty and blank text give no tokens; non-strings are refused', () => {
    expect(normalizeText('')).toEqual([]);
    expect(normalizeText('  \n ')).toEqual([]);
    expect(() => normalizeText(12 as unknown as string)).toThrow(/takes a string, got number/);
  });
});

describe('number helpers', () => {
  it('ordinalWords', () => {
    expect([1, 2, 3, 4, 5, 8, 9, 12, 20, 21, 40, 100, 1000, 1_000_000].map(ordinalWords)).toEqual([
      'first',
      'second',
      'third',
      'fourth',
      'fifth',
      'eighth',
      'ninth',
      'twelfth',
      'twentieth',
      'twenty-first',
      'fortieth',
      'one hundredth',
      'one thousandth',
      'one millionth',
    ]);
  });

  it('yearWords and numberWords', () => {
    expect(yearWords(1776)).toBe('seventeen seventy-six');
    expect(yearWords(2010)).toBe('twenty ten');
    expect(yearWords(2000)).toBe('two thousand');
    expect(numberWords('2024', false)).toBe('two thousand twenty-four');
    expect(numberWords('12345678901234567890')).toBe(
      'one two three four five six seven eight nine zero one two three four five six seven eight nine zero',
    );
  });
});
