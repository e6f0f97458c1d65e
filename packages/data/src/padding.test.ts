import { describe, expect, it } from 'vitest';
import { Dataset } from './dataset';
import { paddedRows } from './padding';

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
});
