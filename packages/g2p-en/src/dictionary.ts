import { resolveStorage } from '@seqzoo/registry';

/**
 * The CMU Pronouncing Dictionary (CMUdict) from the npm package `cmu-pronouncing-dictionary`
 * (the package's code is ISC-licensed; the dictionary is CMU's, under a BSD-style license):
 * about 134,000 words, lower-case, ARPAbet with stress digits. Alternate pronunciations are the
 * keys `word(2)`, `word(3)`, … in the dictionary's order: the first is the one given by default.
 */
export interface PronouncingDictionary {
  /** Every pronunciation of `word` (lower-case), in the dictionary's order; empty when absent. */
  lookup(word: string): string[][];
  /** The first (usual) pronunciation, or undefined when absent. */
  first(word: string): string[] | undefined;
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
    first: (word) => (Object.hasOwn(entries, word) ? split(entries[word]) : undefined),
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

const ALTERNATE = /\(\d+\)$/;

/**
 * A dictionary over the source text of `cmu-pronouncing-dictionary`'s index.js (one
 * `"key": "PH ON EMES",` per line, keys sorted by word): the lines are indexed, not parsed
 * into an object (≈ 10× faster to load than importing the module), and looked up by binary
 * search. Lines out of order (two in CMUdict 0.7b) go to a small map. Null when the text is not
 * in that layout.
 */
export function dictionaryFromSource(text: string): PronouncingDictionary | null {
  const words: string[] = [];
  const starts: number[] = [];
  const ends: number[] = [];
  const stray = new Map<string, string[]>();
  let size = 0;
  let i = text.indexOf('{');
  if (i < 0) return null;
  for (;;) {
    const q = text.indexOf('\n  "', i);
    if (q < 0) break;
    const colon = text.indexOf('": "', q + 4);
    const end = text.indexOf('"', colon + 4);
    if (colon < 0 || end < 0) return null;
    const key = text.slice(q + 4, colon);
    const word = key.replace(ALTERNATE, '');
    size++;
    if (words.length > 0 && word < words[words.length - 1]) {
      stray.set(word, [...(stray.get(word) ?? []), text.slice(colon + 4, end)]);
    } else {
      words.push(word);
      starts.push(colon + 4);
      ends.push(end);
    }
    i = end;
  }
  if (size === 0) return null;
  /** CMUdict's lines are single-spaced: a plain split, unless a comment needs cutting. */
  const split = (line: string) =>
    line.indexOf('#') < 0 && line.indexOf('  ') < 0 && line[0] !== ' ' && line.at(-1) !== ' '
      ? line.split(' ')
      : line.split('#')[0].trim().split(' ').filter(Boolean);
  /** Index of the first entry whose word is ≥ `word`. */
  const lowerBound = (word: string) => {
    let lo = 0;
    let hi = words.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (words[mid] < word) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  return {
    size,
    has: (word) => words[lowerBound(word)] === word || stray.has(word),
    first(word) {
      const k = lowerBound(word);
      if (words[k] === word) return split(text.slice(starts[k], ends[k]));
      const line = stray.get(word)?.[0];
      return line === undefined ? undefined : split(line);
    },
    lookup(word) {
      const out: string[][] = [];
      for (let k = lowerBound(word); k < words.length && words[k] === word; k++) {
        out.push(split(text.slice(starts[k], ends[k])));
      }
      for (const line of stray.get(word) ?? []) out.push(split(line));
      return out;
    },
  };
}

/**
 * In Node, the package's index.js as text; null elsewhere (browsers import the module). Found by
 * `import.meta.resolve` and read through the registry's folder storage (Node's file system
 * reaches it from @seqzoo/registry's Node build): this package imports no Node built-in.
 */
async function sourceText(): Promise<string | null> {
  const node = (globalThis as { process?: { versions?: { node?: string } } }).process?.versions
    ?.node;
  const resolve = (import.meta as { resolve?: (specifier: string) => string }).resolve;
  if (!node || typeof resolve !== 'function') return null;
  try {
    const file = new URL(resolve('cmu-pronouncing-dictionary'));
    if (file.protocol !== 'file:') return null;
    const base = decodeURIComponent(file.pathname.slice(file.pathname.lastIndexOf('/') + 1));
    const bytes = await resolveStorage(new URL('.', file).href).read(base);
    return bytes === null ? null : new TextDecoder().decode(bytes);
  } catch {
    return null;
  }
}

let cmudict: Promise<PronouncingDictionary> | undefined;

/**
 * CMUdict, loaded on first use: in Node from the package's file, indexed
 * (`dictionaryFromSource`); in browsers by importing the module (bundlers give it its own chunk).
 */
export function loadCmudict(): Promise<PronouncingDictionary> {
  cmudict ??= (async () => {
    const text = await sourceText();
    const fromText = text === null ? null : dictionaryFromSource(text);
    if (fromText) return fromText;
    const m = await import('cmu-pronouncing-dictionary');
    return dictionaryFrom(m.dictionary);
  })();
  return cmudict;
}
