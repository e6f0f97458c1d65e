import { describe, expect, it } from 'vitest';
import { charTokenizer, pretokenized, tokenizerFromJSON, wordTokenizer } from './tokenizers';

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
