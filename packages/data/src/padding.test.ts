import { useBackend } from '@seqzoo/backend';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { Dataset } from './dataset';
import { paddedRows, padSequences } from './padding';
import { Rng } from './random';
import { toTensors } from './tensors';

beforeAll(async () => {
  await useBackend('cpu');
});

describe('paddedBatch', () => {
  it('pads with 0 to the longest in the batch, with lengths and a mask', async () => {
    const [b] = await Dataset.from([[5, 6, 7], [8], [9, 10]])
      .paddedBatch(3)
      .toArray();
    expect(b.shape).toEqual([3, 3]);
    expect(paddedRows(b)).toEqual([
      [5, 6, 7],
      [8, 0, 0],
      [9, 10, 0],
    ]);
    expect(Array.from(b.lengths)).toEqual([3, 1, 2]);
    expect(Array.from(b.mask)).toEqual([1, 1, 1, 1, 0, 0, 1, 1, 0]);
  });

  it('cuts at maxLength and pads object fields separately', async () => {
    const items = [
      { source: [1, 2, 3, 4, 5], target: [6], id: 'a' },
      { source: [7], target: [8, 9, 10], id: 'b' },
    ];
    const [b] = await Dataset.from(items).paddedBatch(2, { maxLength: 3 }).toArray();
    expect(paddedRows(b.source)).toEqual([
      [1, 2, 3],
      [7, 0, 0],
    ]);
    expect(Array.from(b.source.lengths)).toEqual([3, 1]);
    expect(paddedRows(b.target)).toEqual([
      [6, 0, 0],
      [8, 9, 10],
    ]);
    expect(b.id).toEqual(['a', 'b']);
    const [c] = await Dataset.from(items)
      .paddedBatch(2, { maxLengths: { target: 1 } })
      .toArray();
    expect(c.source.shape).toEqual([2, 5]);
    expect(c.target.shape).toEqual([2, 1]);
  });

  it('converts to int32 tensors (float32 mask) without leaking', async () => {
    const before = tf.memory().numTensors;
    const b = padSequences([[3, 4], [5]]);
    const t = toTensors(b);
    expect(t.ids.dtype).toBe('int32');
    expect(t.lengths.dtype).toBe('int32');
    expect(t.mask.dtype).toBe('float32');
    expect(await t.ids.array()).toEqual([
      [3, 4],
      [5, 0],
    ]);
    expect(await t.lengths.array()).toEqual([2, 1]);
    expect(await t.mask.array()).toEqual([
      [1, 1],
      [1, 0],
    ]);
    tf.dispose([t.ids, t.lengths, t.mask]);
    expect(tf.memory().numTensors).toBe(before);
    const pair = toTensors({ source: b, id: ['x', 'y'] });
    expect(pair.source.ids.shape).toEqual([2, 2]);
    expect(pair.id).toEqual(['x', 'y']);
    tf.dispose([pair.source.ids, pair.source.lengths, pair.source.mask]);
  });
});

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
