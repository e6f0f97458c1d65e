import { describe, expect, it } from 'vitest';
import { batchify, bpttWindows } from './bptt';

describe('batchify / bpttWindows', () => {
  it('cuts a stream into contiguous rows and windows that cover every next-token target', () => {
    const stream = Array.from({ length: 11 }, (_, i) => i);
    expect(batchify(stream, 3)).toEqual([
      [0, 1, 2],
      [3, 4, 5],
      [6, 7, 8],
    ]);
    expect(bpttWindows(10, 4)).toEqual([
      [0, 4],
      [4, 4],
      [8, 1],
    ]);
    // inputs 0..8 predict targets 1..9: every position but the last is an input exactly once
    const covered = bpttWindows(10, 3).flatMap(([s, w]) =>
      Array.from({ length: w }, (_, i) => s + i),
    );
    expect(covered).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
  });
});
