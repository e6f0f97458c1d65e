import { Dataset } from '../dataset';
import { DataArgumentError } from '../errors';
import { hashString } from '../random';

/** One CMUdict pronunciation: a word and its ARPAbet phonemes. */
export interface CmudictEntry {
  /** The word, lower-case, without the "(2)" mark of an alternate pronunciation. */
  word: string;
  /** ARPAbet phonemes, e.g. ['HH', 'AH0', 'L', 'OW1'] (or ['HH', 'AH', 'L', 'OW'] with stress: false). */
  phonemes: string[];
}

/** A fixed split of CMUdict's words (a word's pronunciations all go to one split). */
export type CmudictSplit = 'train' | 'validation' | 'test';

/** Options of the CMUdict dataset: the split, stress marks, alternate pronunciations. */
export interface CmudictOptions {
  /** Which split; default 'all'. */
  split?: CmudictSplit | 'all';
  /** Keep the stress digits 0/1/2 on vowels. Default true (the dictionary as published). */
  stress?: boolean;
  /** Keep alternate pronunciations ("read", "read(2)") as extra entries. Default true. */
  alternates?: boolean;
}

/**
 * The split of a word, fixed forever: bucket = hashString(word) % 100 (32-bit FNV-1a over the
 * UTF-8 bytes, murmur3 finalizer; see `hashString`); buckets 0–9 → test (10 %, about 12,600
 * words), 10–14 → validation (5 %), 15–99 → train. It depends on the word alone, so adding words
 * (a newer dictionary) never moves a word between splits, and all pronunciations of a word share
 * its split.
 */
export function cmudictSplitOf(word: string): CmudictSplit {
  const b = hashString(word) % 100;
  return b < 10 ? 'test' : b < 15 ? 'validation' : 'train';
}

const ALT = /\(\d+\)$/;

/**
 * Loads the CMU Pronouncing Dictionary from the npm package `cmu-pronouncing-dictionary`
 * (bundled data, nothing downloaded; imported on first use, ~4.7 MB), in the package's
 * (alphabetical) order.
 */
export async function loadCmudict(options: CmudictOptions = {}): Promise<CmudictEntry[]> {
  const { split = 'all', stress = true, alternates = true } = options;
  if (!['all', 'train', 'validation', 'test'].includes(split))
    throw new DataArgumentError(
      `split must be 'train', 'validation', 'test' or 'all', got ${JSON.stringify(split)}.`,
    );
  const { dictionary } = await import('cmu-pronouncing-dictionary');
  const out: CmudictEntry[] = [];
  for (const key of Object.keys(dictionary)) {
    const alt = ALT.test(key);
    if (alt && !alternates) continue;
    const word = alt ? key.replace(ALT, '') : key;
    if (split !== 'all' && cmudictSplitOf(word) !== split) continue;
    // Some entries carry a comment after '#' ('AE1 L AH0 N # place, german'): not phonemes.
    let phonemes = dictionary[key].split('#')[0].trim().split(/\s+/);
    if (!stress) phonemes = phonemes.map((p) => p.replace(/\d$/, ''));
    out.push({ word, phonemes });
  }
  return out;
}

/** The dictionary (or one split of it) as a dataset of { word, phonemes }. */
export async function cmudict(options: CmudictOptions = {}): Promise<Dataset<CmudictEntry>> {
  return Dataset.from(await loadCmudict(options));
}
