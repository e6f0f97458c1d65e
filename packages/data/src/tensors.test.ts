import { useBackend } from '@seqzoo/backend';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { padSequences } from './padding';
import { toTensors } from './tensors';

beforeAll(async () => {
  await useBackend('cpu');
});

describe('toTensors', () => {
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
