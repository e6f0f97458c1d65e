import { dictionary as cmudict } from 'cmu-pronouncing-dictionary';
import { describe, expect, it } from 'vitest';
import { dictionaryFrom, dictionaryFromSource, loadCmudict } from './dictionary';

const entries = {
  a: 'AH0',
  'a(2)': 'EY1',
  "a's": 'EY1 Z',
  allen: 'AE1 L AH0 N # place, german',
  read: 'R EH1 D',
  'read(2)': 'R IY1 D',
  zebra: 'Z IY1 B R AH0',
  stilton: 'S T IH1 L T AH0 N',
  stilted: 'S T IH1 L T IH0 D',
};
const source = `/** @type {{ [word: string]: string }} */\nexport const dictionary = {\n${Object.entries(
  entries,
)
  .map(([k, v]) => `  ${JSON.stringify(k)}: ${JSON.stringify(v)}`)
  .join(',\n')}\n}\n`;

describe('pronouncing dictionaries', () => {
  for (const [name, dict] of [
    ['dictionaryFrom (an object)', dictionaryFrom(entries)],
    ['dictionaryFromSource (the module text)', dictionaryFromSource(source)!],
  ] as const) {
    it(`${name}: all pronunciations in order, comments dropped, absent words empty`, () => {
      expect(dict.size).toBe(9);
      expect(dict.lookup('read')).toEqual([
        ['R', 'EH1', 'D'],
        ['R', 'IY1', 'D'],
      ]);
      expect(dict.lookup('a')).toEqual([['AH0'], ['EY1']]);
      expect(dict.lookup("a's")).toEqual([['EY1', 'Z']]);
      expect(dict.lookup('allen')).toEqual([['AE1', 'L', 'AH0', 'N']]);
      // Out of alphabetical order in the file (as in CMUdict): still found.
      expect(dict.lookup('stilted')).toEqual([['S', 'T', 'IH1', 'L', 'T', 'IH0', 'D']]);
      expect(dict.has('stilted')).toBe(true);
      expect(dict.first('read')).toEqual(['R', 'EH1', 'D']);
      expect(dict.first('allen')).toEqual(['AE1', 'L', 'AH0', 'N']);
      expect(dict.first('stilted')).toEqual(['S', 'T', 'IH1', 'L', 'T', 'IH0', 'D']);
      expect(dict.first('zorbl')).toBeUndefined();
      expect(dict.lookup('zorbl')).toEqual([]);
      expect(dict.has('zorbl')).toBe(false);
      expect(dict.lookup('read(2)')).toEqual(
        name.startsWith('dictionaryFrom (') ? [['R', 'IY1', 'D']] : [],
      );
      expect(dict.has('constructor')).toBe(false);
      expect(dict.lookup('__proto__')).toEqual([]);
    });
  }

  it('dictionaryFromSource refuses text of another layout', () => {
    expect(dictionaryFromSource('export default {}')).toBeNull();
    expect(dictionaryFromSource('nothing here')).toBeNull();
  });

  it('loadCmudict (from the file in Node) agrees with the imported module on every word', async () => {
    const dict = await loadCmudict();
    const reference = dictionaryFrom(cmudict);
    expect(dict.size).toBe(Object.keys(cmudict).length);
    expect(dict.size).toBeGreaterThan(130_000);
    const words = new Set(Object.keys(cmudict).map((k) => k.replace(/\(\d+\)$/, '')));
    const differ = [...words].filter(
      (w) =>
        JSON.stringify(dict.lookup(w)) !== JSON.stringify(reference.lookup(w)) ||
        JSON.stringify(dict.first(w)) !== JSON.stringify(reference.lookup(w)[0]),
    );
    expect(differ).toEqual([]);
    expect(words.size).toBeGreaterThan(120_000);
    expect(dict.lookup('hello')).toEqual([
      ['HH', 'AH0', 'L', 'OW1'],
      ['HH', 'EH0', 'L', 'OW1'],
    ]);
  });
});
