import { describe, expect, it } from 'vitest';
import { isNiceLinear, isNiceLog } from './testing';
import { formatLog, linearTicks, logTicks, niceNumber } from './ticks';

/** A seeded stream of numbers in [0, 1) (no Math.random in tests). */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('niceNumber', () => {
  it('rounds to 1, 2, 2.5, 5 × 10^k', () => {
    expect(niceNumber(0.37, true)).toBe(0.5);
    expect(niceNumber(0.37, false)).toBe(0.5);
    expect(niceNumber(1.3, true)).toBe(1);
    expect(niceNumber(1.3, false)).toBe(2);
    expect(niceNumber(7.6, true)).toBe(10);
    expect(niceNumber(230, false)).toBe(250);
  });
});

describe('linearTicks', () => {
  it("the issue's loss axis (5.0 down to 1.3): round ticks from 1 to 5, not 1.3 / 2.5 / 3.8 / 5.0", () => {
    const t = linearTicks(1.31, 4.98, 6);
    expect(t.labels).toEqual(['1', '2', '3', '4', '5']);
    expect(linearTicks(1.31, 4.98, 9).labels).toEqual([
      '1.0',
      '1.5',
      '2.0',
      '2.5',
      '3.0',
      '3.5',
      '4.0',
      '4.5',
      '5.0',
    ]);
    expect(t.min).toBe(1);
    expect(t.max).toBe(5);
  });

  it('over 2000 random ranges: nice, evenly spaced, covering the data, 3 to 13 ticks, labels parse back', () => {
    const r = rng(7);
    for (let i = 0; i < 2000; i++) {
      const scale = 10 ** Math.floor(r() * 12 - 6);
      const a = (r() - 0.3) * scale;
      const b = a + r() * scale * (r() < 0.1 ? 1e-3 : 1);
      const t = linearTicks(a, b, 2 + Math.floor(r() * 8));
      expect(isNiceLinear(t.values), `${a}..${b}: ${t.values}`).toBe(true);
      expect(t.values[0]).toBeLessThanOrEqual(a);
      expect(t.values.at(-1)).toBeGreaterThanOrEqual(b);
      expect(t.values.length).toBeGreaterThanOrEqual(2);
      expect(t.values.length).toBeLessThanOrEqual(13);
      for (const [k, l] of t.labels.entries()) {
        expect(Math.abs(Number(l) - t.values[k])).toBeLessThanOrEqual(
          Math.abs(t.values[1] - t.values[0]) * 1e-6,
        );
      }
      expect(new Set(t.labels).size).toBe(t.labels.length);
    }
  });

  it('a constant or empty range still gives an axis', () => {
    expect(linearTicks(3, 3).values.length).toBeGreaterThan(1);
    expect(linearTicks(0, 0).values).toContain(0);
    expect(linearTicks(Number.NaN, 1).values.length).toBeGreaterThan(1);
  });
});

describe('logTicks', () => {
  it('decades for a wide range, covering it', () => {
    const t = logTicks(3e-13, 1.2);
    expect(t.values[0]).toBeLessThanOrEqual(3e-13);
    expect(t.values.at(-1)).toBeGreaterThanOrEqual(1.2);
    expect(t.values.length).toBeLessThanOrEqual(10);
    expect(isNiceLog(t.values)).toBe(true);
    for (const l of t.labels) expect(l).toMatch(/^(1e-?\d+|[\d.]+)$/);
  });

  it('1-2-5 (or 1…9) inside a narrow range, at least 4 ticks', () => {
    const r = rng(3);
    for (let i = 0; i < 500; i++) {
      const lo = 10 ** (r() * 10 - 5);
      const hi = lo * (1 + r() * 200);
      const t = logTicks(lo, hi);
      expect(isNiceLog(t.values), `${lo}..${hi}: ${t.values}`).toBe(true);
      expect(t.values[0]).toBeLessThanOrEqual(lo * (1 + 1e-9));
      expect(t.values.at(-1)).toBeGreaterThanOrEqual(hi * (1 - 1e-9));
      expect(t.values.length).toBeGreaterThanOrEqual(3);
      for (const [k, l] of t.labels.entries()) expect(Number(l)).toBeCloseTo(t.values[k], 10);
    }
  });

  it('formats small and large powers compactly', () => {
    expect(formatLog(1e-7)).toBe('1e-7');
    expect(formatLog(0.01)).toBe('0.01');
    expect(formatLog(2000)).toBe('2000');
    expect(formatLog(5e6)).toBe('5e6');
  });
});
