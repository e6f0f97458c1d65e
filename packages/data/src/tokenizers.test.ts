import { describe, expect, it } from 'vitest';
import { charTokenizer, pretokenized, tokenizerFromJSON, wordTokenizer } from './tokenizers';
import { Vocab } from './vocab';

describe('tokenizers', () => {
  it('splits characters by code point', () => {
    const t = charTokenizer();
    expect(t.tokenize('a😀é')).toEqual(['a', '😀', 'é']);
    expect(t.detokenize(t.tokenize('a😀é'))).toBe('a😀é');
    expect(charTokenizer({ lowercase: true }).tokenize('AbC')).toEqual(['a', 'b', 'c']);
  });

  it('splits words by a pattern, optionally lower-cased and with punctuation split off', () => {
    expect(wordTokenizer().tokenize(' Hello,  world! ')).toEqual(['Hello,', 'world!']);
    expect(
      wordTokenizer({ lowercase: true, splitPunctuation: true }).tokenize("Don't stop!"),
    ).toEqual(['don', "'", 't', 'stop', '!']);
    expect(wordTokenizer({ pattern: /[a-z]+/ }).tokenize('ab1cd')).toEqual(['ab', 'cd']);
    expect(() => wordTokenizer({ pattern: /x*/ })).toThrow(/matches the empty string/);
  });

  it('round-trips through JSON', () => {
    for (const t of [
      charTokenizer({ lowercase: true }),
      wordTokenizer({ splitPunctuation: true }),
      pretokenized(),
    ]) {
      const back = tokenizerFromJSON(JSON.parse(JSON.stringify(t.toJSON())));
      expect(back.tokenize('Hi, AH0 there')).toEqual(t.tokenize('Hi, AH0 there'));
    }
    expect(() => tokenizerFromJSON({ kind: 'bpe' } as never)).toThrow(/Unknown tokenizer/);
  });
});

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
