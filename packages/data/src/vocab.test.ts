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

  it('keeps the ids of a vocabulary made elsewhere (specials possibly null) through JSON', () => {
    // A PyTorch char-LM's vocabulary: only padding at 0, '\n' ends a text, no unk or bos.
    const json = {
      tokens: ['<pad>', '\n', 'a', 'b'],
      specials: { pad: 0, unk: null, bos: null, eos: 1 },
    };
    const v = Vocab.fromJSON(json);
    expect(v.encode(['b', 'a'], { eos: true })).toEqual([3, 2, 1]);
    expect(v.padId).toBe(0);
    expect(v.eosId).toBe(1);
    expect(v.standard).toBe(false);
    expect(() => v.unkId).toThrow(/no unk token/);
    expect(() => v.encode(['z'])).toThrow(/"z" is not in the vocabulary, which has no unk id/);
    expect(() => v.encode(['a'], { bos: true })).toThrow(/no bos token/);
    expect(v.decode([2, 0, 3, 1, 2])).toEqual(['a', 'b']);
    const saved = JSON.parse(JSON.stringify(v));
    expect(saved).toEqual({ format: 'seqzoo-vocab', version: 1, ...json });
    expect(Vocab.fromJSON(saved).specials).toEqual(json.specials);
    // A standard vocabulary is written as before (no specials), and reads back as standard.
    const std = Vocab.fromTokens(['x']);
    expect(std.toJSON()).toEqual({ format: 'seqzoo-vocab', version: 1, tokens: std.tokens });
    expect(Vocab.fromJSON(std.toJSON()).specials).toEqual({ pad: 0, unk: 1, bos: 2, eos: 3 });
  });

  it('rejects specials that are missing, out of range or not ids, naming the key', () => {
    const tokens = ['a', 'b'];
    const specials = { pad: 0, unk: null, bos: null, eos: 1 };
    expect(() =>
      Vocab.fromJSON({ tokens, specials: { pad: 0, unk: null, bos: null } } as never),
    ).toThrow(/specials has no 'eos': give its id, or null/);
    expect(() => Vocab.fromJSON({ tokens, specials: { ...specials, eos: 2 } })).toThrow(
      /specials.eos is 2, not an id of this vocabulary of 2 tokens/,
    );
    expect(() => Vocab.fromJSON({ tokens, specials: { ...specials, pad: 0.5 } })).toThrow(
      /specials.pad is 0.5/,
    );
    expect(() => new Vocab(['a', 'b'])).toThrow(/say which ids are the specials/);
    expect(() => Vocab.fromJSON({ tokens: [1, 2], specials } as never)).toThrow(/must be a string/);
  });
});
