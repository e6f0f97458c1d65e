import { describe, expect, it } from 'vitest';
import { hashString, Rng } from './random';

/** An independent FNV-1a 32 + fmix32 over TextEncoder's UTF-8 bytes. */
function referenceHash(text: string): number {
  let h = 0x811c9dc5;
  for (const b of new TextEncoder().encode(text)) h = Math.imul(h ^ b, 0x01000193) >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b) >>> 0;
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35) >>> 0;
  return (h ^ (h >>> 16)) >>> 0;
}

describe('Rng', () => {
  it('gives the same stream for the same seed and another for another seed', () => {
    const draw = (seed: number | string) => {
      const r = new Rng(seed);
      return Array.from({ length: 20 }, () => r.nextUint32());
    };
    expect(draw(1)).toEqual(draw(1));
    expect(draw('abc')).toEqual(draw('abc'));
    expect(draw(1)).not.toEqual(draw(2));
  });

  it('saves and restores its state (as JSON)', () => {
    const r = new Rng(9);
    for (let i = 0; i < 5; i++) r.float();
    const saved = JSON.parse(JSON.stringify(r.state()));
    const next = Array.from({ length: 10 }, () => r.int(1000));
    const restored = Rng.fromState(saved);
    expect(Array.from({ length: 10 }, () => restored.int(1000))).toEqual(next);
    expect(() => Rng.fromState({ sfc32: [1, 2] } as never)).toThrow(/Not an Rng state/);
  });

  it('draws integers in range, roughly uniformly', () => {
    const r = new Rng(3);
    const counts = new Array(7).fill(0);
    for (let i = 0; i < 70_000; i++) counts[r.int(7)]++;
    for (const c of counts) expect(Math.abs(c - 10_000)).toBeLessThan(500);
    for (let i = 0; i < 1000; i++) {
      const x = r.int(-3, 4);
      expect(x).toBeGreaterThanOrEqual(-3);
      expect(x).toBeLessThan(4);
    }
    const p = r.shuffle(Array.from({ length: 50 }, (_, i) => i));
    expect([...p].sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i));
  });
});

describe('hashString', () => {
  it('is FNV-1a over UTF-8 bytes with the murmur3 finalizer', () => {
    for (const w of ['', 'a', 'hello', "o'brien", 'café', '日本', '😀x', 'lone\ud800'])
      expect(hashString(w)).toBe(referenceHash(w.replace('\ud800', '\ufffd')));
  });
});
