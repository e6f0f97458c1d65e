import { describe, expect, it } from 'vitest';
import { Dataset } from './dataset';
import { paddedRows } from './padding';
import { Rng } from './random';

describe('bucketByLength', () => {
  it('batches items of similar length, keeps every item, and pads less', async () => {
    const rng = new Rng(1);
    const seqs = Array.from({ length: 500 }, (_, i) =>
      Array.from({ length: rng.int(1, 40) }, () => i + 1),
    );
    const boundaries = [5, 10, 20];
    const bucketed = await Dataset.from(seqs).bucketByLength(boundaries, [16, 16, 8, 8]).toArray();
    const seen: number[] = [];
    for (const b of bucketed) {
      const lengths = Array.from(b.lengths);
      const bucket = (n: number) => boundaries.filter((x) => n >= x).length;
      expect(new Set(lengths.map(bucket)).size).toBe(1);
      for (const row of paddedRows(b)) seen.push(row[0]);
    }
    expect(seen.sort((a, b) => a - b)).toEqual(seqs.map((s) => s[0]));
    const waste = (bs: { shape: [number, number]; lengths: Int32Array }[]) =>
      bs.reduce((n, b) => n + b.shape[0] * b.shape[1], 0) /
      bs.reduce((n, b) => n + b.lengths.reduce((a, x) => a + x, 0), 0);
    const plain = await Dataset.from(seqs).paddedBatch(16).toArray();
    expect(waste(bucketed)).toBeLessThan(waste(plain));
  });

  it('checks its arguments', () => {
    expect(() => Dataset.from([[1]]).bucketByLength([5, 10], [4, 4])).toThrow(
      /3 buckets, got 2 batch sizes/,
    );
    expect(() => Dataset.from([[1]]).bucketByLength([10, 5], [1, 1, 1])).toThrow(/must increase/);
  });
});
