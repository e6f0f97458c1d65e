import { describe, expect, it } from 'vitest';
import { DATE_FORMATS, formatDate, isoDate } from './dates';
import { numberToWords } from './number-words';
import {
  additionTask,
  copyTask,
  dateTask,
  numberWordsTask,
  reverseTask,
  sortTask,
} from './synthetic';

describe('synthetic tasks', () => {
  it('are seeded: same seed same data, another seed other data', async () => {
    for (const make of [copyTask, reverseTask, sortTask, additionTask, dateTask, numberWordsTask]) {
      const a = await make({ size: 50, seed: 1 }).toArray();
      expect(await make({ size: 50, seed: 1 }).toArray()).toEqual(a);
      expect(await make({ size: 50, seed: 2 }).toArray()).not.toEqual(a);
      expect(a).toHaveLength(50);
    }
  });

  it('copy, reverse, sort and addition give the right targets', async () => {
    for (const p of await copyTask({
      size: 100,
      alphabet: 'abc',
      minLength: 2,
      maxLength: 6,
    }).toArray()) {
      expect(p.target).toBe(p.source);
      expect(p.source.length).toBeGreaterThanOrEqual(2);
      expect(p.source.length).toBeLessThanOrEqual(6);
    }
    for (const p of await reverseTask({ size: 100 }).toArray())
      expect([...p.target].reverse().join('')).toBe(p.source);
    for (const p of await sortTask({ size: 100 }).toArray())
      expect(p.target).toBe([...p.source].sort().join(''));
    for (const p of await additionTask({ size: 200, maxDigits: 4 }).toArray()) {
      const [a, b] = p.source.split('+').map(Number);
      expect(Number(p.target)).toBe(a + b);
      expect(p.source).toMatch(/^\d{1,4}\+\d{1,4}$/);
    }
  });

  it('writes 3 March 2019 in the human formats the issue lists', () => {
    const d = { year: 2019, month: 3, day: 3 };
    const all = Object.keys(DATE_FORMATS).map((f) => formatDate(d, f));
    for (const example of [
      '3rd of March 2019',
      '03/03/19',
      'Mar 3, 2019',
      'March 3rd, 2019',
      '2019.03.03',
      '3 Mar 2019',
      'Sunday, March 3, 2019',
    ])
      expect(all).toContain(example);
    expect(new Set(all).size).toBe(all.length);
    expect(isoDate(d)).toBe('2019-03-03');
  });

  it('normalizes dates whose weekday and ordinal agree with the calendar', async () => {
    const pairs = await dateTask({ size: 400, seed: 3 }).toArray();
    const formatsSeen = new Set<string>();
    for (const { source, target } of pairs) {
      expect(target).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      const t = new Date(`${target}T00:00:00Z`);
      const weekday = t.toLocaleDateString('en-US', { weekday: 'long', timeZone: 'UTC' });
      const month = t.toLocaleDateString('en-US', { month: 'long', timeZone: 'UTC' });
      if (/day/.test(source)) expect(source).toContain(weekday.slice(0, 3));
      if (/[A-Za-z]{4,}/.test(source) && source.includes(month.slice(0, 3)))
        formatsSeen.add('named');
      const round = Object.keys(DATE_FORMATS).some(
        (f) =>
          formatDate(
            { year: t.getUTCFullYear(), month: t.getUTCMonth() + 1, day: t.getUTCDate() },
            f,
          ) === source,
      );
      expect(round).toBe(true);
    }
    expect(formatsSeen.size).toBe(1);
    expect(() => dateTask({ formats: ['nope'] })).toThrow(/Unknown date format 'nope'/);
  });

  it('spells numbers in English', async () => {
    expect(numberToWords(0)).toBe('zero');
    expect(numberToWords(15)).toBe('fifteen');
    expect(numberToWords(40)).toBe('forty');
    expect(numberToWords(115)).toBe('one hundred fifteen');
    expect(numberToWords(1234)).toBe('one thousand two hundred thirty-four');
    expect(numberToWords(1_000_001)).toBe('one million one');
    expect(numberToWords(2_000_300_000)).toBe('two billion three hundred thousand');
    for (const p of await numberWordsTask({ size: 100, max: 1000 }).toArray()) {
      expect(Number(p.source)).toBeLessThan(1000);
      expect(p.target).toBe(numberToWords(Number(p.source)));
    }
  });
});
