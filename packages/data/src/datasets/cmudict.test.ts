import { describe, expect, it } from 'vitest';
import { cmudict, cmudictSplitOf, loadCmudict } from './cmudict';

describe('cmudict', () => {
  it('has a fixed split by word hash with at least 10,000 test words', async () => {
    const all = await loadCmudict();
    const words = new Set(all.map((e) => e.word));
    const test = new Set((await loadCmudict({ split: 'test' })).map((e) => e.word));
    const validation = new Set((await loadCmudict({ split: 'validation' })).map((e) => e.word));
    const train = new Set((await loadCmudict({ split: 'train' })).map((e) => e.word));
    expect(test.size).toBeGreaterThanOrEqual(10_000);
    expect(validation.size).toBeGreaterThan(5_000);
    expect(test.size + validation.size + train.size).toBe(words.size);
    for (const w of test) expect(train.has(w) || validation.has(w)).toBe(false);
    // The split is a function of the word alone: the same on any subset or superset of words.
    for (const w of [...test].slice(0, 100)) expect(cmudictSplitOf(w)).toBe('test');
  });

  it('keeps or strips stress digits and alternate pronunciations', async () => {
    const withStress = await loadCmudict();
    const hello = withStress.find((e) => e.word === 'hello')!;
    expect(hello.phonemes.some((p) => /\d$/.test(p))).toBe(true);
    const plain = await loadCmudict({ stress: false });
    expect(plain.every((e) => e.phonemes.every((p) => !/\d/.test(p)))).toBe(true);
    expect(plain.find((e) => e.word === 'hello')!.phonemes).toEqual(
      hello.phonemes.map((p) => p.replace(/\d$/, '')),
    );
    const reads = withStress.filter((e) => e.word === 'read');
    expect(reads.length).toBeGreaterThan(1);
    const single = await loadCmudict({ alternates: false });
    expect(single.filter((e) => e.word === 'read')).toHaveLength(1);
    expect(new Set(single.map((e) => e.word)).size).toBe(single.length);
    expect((await cmudict({ split: 'test' })).size).toBe(
      (await loadCmudict({ split: 'test' })).length,
    );
  });
});

it('drops the comments some entries carry after #, keeping only ARPAbet phonemes', async () => {
  const all = await loadCmudict();
  const aalen = all.find((e) => e.word === 'aalen')!;
  expect(aalen.phonemes).toEqual(['AE1', 'L', 'AH0', 'N']);
  expect(all.every((e) => e.phonemes.every((p) => /^[A-Z]{1,2}[012]?$/.test(p)))).toBe(true);
});
