import { Random } from '@seqzoo/layers';
import { describe, expect, it } from 'vitest';
import { sampleIndex } from './sampling';

const P = [0.05, 0.5, 0.3, 0.15];
const histogram = (options: Parameters<typeof sampleIndex>[2], n = 4000) => {
  const rng = new Random(1);
  const counts = [0, 0, 0, 0];
  for (let i = 0; i < n; i++) counts[sampleIndex(P, rng, options)]++;
  return counts.map((c) => c / n);
};

describe('sampleIndex', () => {
  it('samples in proportion at temperature 1', () => {
    histogram({}).forEach((f, i) => {
      expect(f).toBeCloseTo(P[i], 1);
    });
  });

  it('temperature 0 is argmax; low temperature sharpens, high flattens', () => {
    expect(sampleIndex(P, new Random(3), { temperature: 0 })).toBe(1);
    expect(histogram({ temperature: 0.3 })[1]).toBeGreaterThan(0.8);
    const hot = histogram({ temperature: 5 });
    expect(hot[0]).toBeGreaterThan(0.15);
  });

  it('top-k keeps the k most likely; top-p the smallest set reaching p', () => {
    const k2 = histogram({ topK: 2 });
    expect(k2[0]).toBe(0);
    expect(k2[3]).toBe(0);
    expect(k2[1]).toBeCloseTo(0.5 / 0.8, 1);
    // sorted: 0.5, 0.3 (cum 0.8 >= 0.7) → only ids 1 and 2
    const p7 = histogram({ topP: 0.7 });
    expect(p7[0] + p7[3]).toBe(0);
    expect(histogram({ topP: 0.4 })[1]).toBe(1);
    expect(histogram({ topK: 1 })[1]).toBe(1);
  });

  it('is reproducible with a seed', () => {
    const a = Array.from({ length: 20 }, (_, i) => sampleIndex(P, new Random(i)));
    const b = Array.from({ length: 20 }, (_, i) => sampleIndex(P, new Random(i)));
    expect(a).toEqual(b);
  });
});
