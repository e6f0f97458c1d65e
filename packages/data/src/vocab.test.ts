import { describe, expect, it } from 'vitest';
import { Vocab } from './vocab';

describe('Vocab', () => {
  it('reserves <pad>=0 <unk> <bos> <eos>, orders by frequency, maps OOV to <unk>', async () => {
    async function* seqs() {
      yield ['b', 'a', 'b'];
      yield ['c', 'b', 'a', 'd'];
    }
    const v = await Vocab.build(seqs());
    expect(v.tokens).toEqual(['<pad>', '<unk>', '<bos>', '<eos>', 'b', 'a', 'c', 'd']);
    expect(v.encode(['a', 'zzz'], { bos: true, eos: true })).toEqual([2, 5, 1, 3]);
    expect(v.decode([2, 5, 4, 3, 6, 0])).toEqual(['a', 'b']);
    expect(v.decode([2, 5, 0], { keepSpecials: true })).toEqual(['<bos>', 'a', '<pad>']);
  });

  it('applies minFreq and maxSize', async () => {
    const data = [['x', 'x', 'x', 'y', 'y', 'z']];
    expect((await Vocab.build(data, { minFreq: 2 })).tokens.slice(4)).toEqual(['x', 'y']);
    expect((await Vocab.build(data, { maxSize: 5 })).tokens.slice(4)).toEqual(['x']);
    await expect(Vocab.build(['abc'] as never)).rejects.toThrow(/token arrays, not strings/);
  });

  it('round-trips through JSON and rejects a foreign one', () => {
    const v = Vocab.fromTokens(['q', 'r', 'q'], ['<sep>']);
    expect(v.tokens).toEqual(['<pad>', '<unk>', '<bos>', '<eos>', '<sep>', 'q', 'r']);
    const back = Vocab.fromJSON(JSON.parse(JSON.stringify(v)));
    expect(back.encode(['r', 'q'])).toEqual(v.encode(['r', 'q']));
    expect(() => Vocab.fromJSON({ tokens: ['a'] } as never)).toThrow(/Not a seqzoo vocabulary/);
    expect(() => v.tokenOf(99)).toThrow(/out of range/);
  });
});
