import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { useBackend } from '@seqzoo/backend';
import { ModelFileError } from '@seqzoo/registry';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCmudict } from './dictionary';
import { G2PInputError, G2PModelError } from './errors';
import { type G2P, loadG2P } from './g2p';

const modelDir = join(dirname(fileURLToPath(import.meta.url)), '../model');
/** ARPAbet: 15 vowels that carry a stress digit, 24 consonants that do not. */
const VOWEL = /^(AA|AE|AH|AO|AW|AY|EH|ER|EY|IH|IY|OW|OY|UH|UW)[012]$/;
const CONSONANT = /^(B|CH|D|DH|F|G|HH|JH|K|L|M|N|NG|P|R|S|SH|T|TH|V|W|Y|Z|ZH)$/;
const isArpabet = (phonemes: string[]) =>
  phonemes.length > 0 && phonemes.every((p) => VOWEL.test(p) || CONSONANT.test(p));
const OOV = ['seqzoo', 'zorbl', 'blorptastic', 'tensorflowjs', 'kwyjibo', 'frobnicate', 'grokky'];

async function rejected(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (e) {
    return e as Error;
  }
  throw new Error('the promise resolved');
}

describe('loadG2P (the model shipped in this package, CMUdict)', () => {
  let g2p: G2P;
  let root: string;
  let tensorsBefore: number;

  beforeAll(async () => {
    // The app's choice (wasm: what the card's speeds are measured on).
    await useBackend('wasm');
    tensorsBefore = tf.memory().numTensors;
    g2p = await loadG2P();
    root = await mkdtemp(join(tmpdir(), 'seqzoo-g2p-'));
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it("runs on the app's backend and says so; reports the model and the dictionary", async () => {
    expect(g2p.info.backend.backend).toBe('wasm');
    expect(g2p.info.backend.reason ?? '').not.toMatch(/auto/);
    const json = JSON.parse(await readFile(join(modelDir, 'model.json'), 'utf8'));
    expect(g2p.info.model.dtype).toBe(json.weights.quantization.dtype);
    expect(g2p.info.model.id).toBe('seq2seq:attention');
    expect(g2p.info.model.parameters).toBeGreaterThan(1000);
    expect(g2p.info.model.lengthPenalty).toBe(json.training.package.lengthPenalty);
    expect(g2p.info.dictionary?.entries).toBeGreaterThan(130_000);
  });

  it('dictionary words: the first pronunciation, all of them on request', () => {
    expect(g2p.word('hello')).toEqual(['HH', 'AH0', 'L', 'OW1']);
    expect(g2p.word('Hello')).toEqual(['HH', 'AH0', 'L', 'OW1']);
    expect(g2p.word('read', { all: true })).toEqual([
      ['R', 'EH1', 'D'],
      ['R', 'IY1', 'D'],
    ]);
    expect(g2p.word('read', { nBest: 5 })).toEqual([
      { phonemes: ['R', 'EH1', 'D'], source: 'dictionary', score: null, logProb: null },
      { phonemes: ['R', 'IY1', 'D'], source: 'dictionary', score: null, logProb: null },
    ]);
    expect(g2p.word('don’t')).toEqual(g2p.word("don't"));
  });

  it('out-of-vocabulary words: ARPAbet with a stress digit on every vowel, from the model', () => {
    for (const w of OOV) {
      const phonemes = g2p.word(w);
      expect(isArpabet(phonemes), `${w}: ${phonemes.join(' ')}`).toBe(true);
      expect(phonemes).toEqual(g2p.predict([w])[0][0].phonemes);
    }
    // Case and accents do not matter to the model.
    expect(g2p.word('Zorbl')).toEqual(g2p.word('zorbl'));
    expect(g2p.predict(['zörbl'])[0][0].phonemes).toEqual(g2p.predict(['zorbl'])[0][0].phonemes);
  });

  it('nBest: distinct alternatives from beam search, best first, with scores', () => {
    const list = g2p.word('seqzoo', { nBest: 3 });
    expect(list).toHaveLength(3);
    expect(new Set(list.map((p) => p.phonemes.join(' '))).size).toBe(3);
    for (const p of list) {
      expect(p.source).toBe('model');
      expect(p.logProb).toBeLessThanOrEqual(0);
      expect(isArpabet(p.phonemes)).toBe(true);
    }
    for (let i = 1; i < 3; i++) expect(list[i].score!).toBeLessThanOrEqual(list[i - 1].score!);
    expect(list[0].phonemes).toEqual(g2p.word('seqzoo', { decode: 'beam' }));
  });

  it('words(): batched decoding gives what one word at a time gives', () => {
    expect(g2p.words(['hello', ...OOV])).toEqual(['hello', ...OOV].map((w) => g2p.word(w)));
  });

  it('text(): spells out, looks up, keeps punctuation, marks where phonemes came from', () => {
    const tokens = g2p.text('Read 12 new words, e.g. "zorbl".');
    expect(tokens.map((t) => t.text)).toEqual([
      'read',
      'twelve',
      'new',
      'words',
      ',',
      'for',
      'example',
      '"',
      'zorbl',
      '"',
      '.',
    ]);
    const byText = new Map(tokens.map((t) => [t.text, t]));
    expect(byText.get('twelve')).toMatchObject({
      source: '12',
      phonemes: ['T', 'W', 'EH1', 'L', 'V'],
      from: 'dictionary',
    });
    expect(byText.get('zorbl')).toMatchObject({ from: 'model', phonemes: g2p.word('zorbl') });
    for (const t of tokens) {
      if (t.kind === 'punctuation') expect(t.phonemes).toBeUndefined();
      else expect(isArpabet(t.phonemes!)).toBe(true);
    }
  });

  it('text(): acronyms in capitals are spelled when CMUdict lacks them; hyphenated words by parts', async () => {
    const dict = await loadCmudict();
    const [xkcd] = g2p.text('XKCD');
    expect(xkcd.from).toBe('spelled');
    expect(xkcd.phonemes).toEqual(['x.', 'k.', 'c.', 'd.'].flatMap((l) => dict.lookup(l)[0]));
    // In CMUdict as a word: looked up, not spelled.
    expect(g2p.text('NASA')[0]).toMatchObject({ from: 'dictionary', phonemes: g2p.word('nasa') });
    expect(g2p.word('zorbl-hello')).toEqual([...g2p.word('zorbl'), ...g2p.word('hello')]);
  });

  it('dictionary: false sends every word through the model', () => {
    expect(g2p.word('hello', { dictionary: false })).toEqual(g2p.predict(['hello'])[0][0].phonemes);
  });

  it('bad input: typed errors that say what to give', () => {
    const cases: [() => unknown, RegExp][] = [
      [() => g2p.word(''), /one word.*g2p\.text/],
      [() => g2p.word('two words'), /one word/],
      [() => g2p.word(12 as unknown as string), /one word/],
      [() => g2p.word('r2d2'), /digits: use g2p\.text/],
      [() => g2p.word('!!!'), /no letters the model can read/],
      [() => g2p.word('zorbl', { nBest: 0 }), /nBest must be a positive integer/],
      [() => g2p.words('hello' as unknown as string[]), /array of words/],
      [() => g2p.words(['ok', '']), /word 1 is ""/],
      [() => g2p.text(null as unknown as string), /takes a string/],
    ];
    for (const [f, message] of cases) {
      expect(f).toThrow(G2PInputError);
      expect(f).toThrow(message);
    }
  });

  it('tf.memory().numTensors stays flat over many words, texts and n-best lists', () => {
    g2p.words(OOV);
    const before = tf.memory().numTensors;
    const many = Array.from(
      { length: 300 },
      (_, i) => `${OOV[i % OOV.length]}${'abcdefgh'[i % 8]}`,
    );
    g2p.words(many);
    for (const w of many.slice(0, 10)) g2p.word(w, { nBest: 2 });
    g2p.text('Dr. Zorbl paid $3.50 for 21st-century blorptastic words in 1999.');
    expect(tf.memory().numTensors).toBe(before);
  });

  it('a model.json of a newer format: the registry refuses it with a typed error', async () => {
    const dir = join(root, 'newer-registry');
    await cp(modelDir, dir, { recursive: true });
    const json = JSON.parse(await readFile(join(dir, 'model.json'), 'utf8'));
    await writeFile(join(dir, 'model.json'), JSON.stringify({ ...json, formatVersion: 99 }));
    const before = tf.memory().numTensors;
    const err = (await rejected(loadG2P({ model: dir }))) as ModelFileError;
    expect(err).toBeInstanceOf(ModelFileError);
    expect(err.code).toBe('UNKNOWN_FORMAT_VERSION');
    expect(tf.memory().numTensors).toBe(before);
  });

  it('a model packed for a newer @seqzoo/g2p-en: G2PModelError NEWER_FORMAT, nothing loaded', async () => {
    const dir = join(root, 'newer-package');
    await cp(modelDir, dir, { recursive: true });
    const json = JSON.parse(await readFile(join(dir, 'model.json'), 'utf8'));
    json.training.package.format = 2;
    await writeFile(join(dir, 'model.json'), JSON.stringify(json));
    const before = tf.memory().numTensors;
    const err = (await rejected(loadG2P({ model: dir }))) as G2PModelError;
    expect(err).toBeInstanceOf(G2PModelError);
    expect(err.code).toBe('NEWER_FORMAT');
    expect(err.message).toMatch(/format 2.*Upgrade @seqzoo\/g2p-en/);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('dispose() frees every tensor the model held', async () => {
    const other = await loadG2P({ dictionary: false });
    expect(other.info.dictionary).toBeNull();
    other.dispose();
    g2p.dispose();
    expect(tf.memory().numTensors).toBe(tensorsBefore);
  });
});
