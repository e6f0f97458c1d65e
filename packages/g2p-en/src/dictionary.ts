/**
 * The CMU Pronouncing Dictionary (CMUdict) from the npm package `cmu-pronouncing-dictionary`
 * (the package's code is ISC-licensed; the dictionary is CMU's, under a BSD-style license):
 * about 134,000 words, lower-case, ARPAbet with stress digits. Alternate pronunciations are the
 * keys `word(2)`, `word(3)`, … in the dictionary's order: the first is the one given by default.
 */
export interface PronouncingDictionary {
  /** Every pronunciation of `word` (lower-case), in the dictionary's order; empty when absent. */
  lookup(word: string): string[][];
  /** Whether the dictionary has the word. */
  has(word: string): boolean;
  /** Number of entries (pronunciations). */
  readonly size: number;
}

type Entries = Readonly<Record<string, string>>;

/** A dictionary over `{ word: 'PH ON EMES', 'word(2)': … }` (CMUdict's layout). */
export function dictionaryFrom(entries: Entries): PronouncingDictionary {
  const split = (line: string) => {
    // A few lines carry a comment after '#' ('AE1 L AH0 N # place, german'): not phonemes.
    const cut = line.indexOf('#');
    return (cut < 0 ? line : line.slice(0, cut)).trim().split(' ').filter(Boolean);
  };
  return {
    size: Object.keys(entries).length,
    has: (word) => Object.hasOwn(entries, word),
    lookup(word) {
      if (!Object.hasOwn(entries, word)) return [];
      const out = [split(entries[word])];
      for (let i = 2; ; i++) {
        const key = `${word}(${i})`;
        if (!Object.hasOwn(entries, key)) return out;
        out.push(split(entries[key]));
      }
    },
  };
}

let cmudict: Promise<PronouncingDictionary> | undefined;

/** CMUdict, imported on first use (a 4.7 MB module; bundlers put it in its own chunk). */
export function loadCmudict(): Promise<PronouncingDictionary> {
  cmudict ??= import('cmu-pronouncing-dictionary').then((m) => dictionaryFrom(m.dictionary));
  return cmudict;
}
