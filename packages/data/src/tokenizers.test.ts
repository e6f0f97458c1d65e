import { describe, expect, it } from 'vitest';
import { DataArgumentError } from './errors';
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

  describe('patterns from JSON (a saved model) are checked (issue 20 item 3)', () => {
    const word = (pattern: unknown, flags: unknown = 'gu') =>
      ({ kind: 'word', pattern, flags, lowercase: false, splitPunctuation: false }) as never;
    const refused = (json: never): DataArgumentError => {
      try {
        tokenizerFromJSON(json);
      } catch (e) {
        expect(e).toBeInstanceOf(DataArgumentError);
        return e as DataArgumentError;
      }
      throw new Error('accepted');
    };

    it('refuses catastrophic-backtracking patterns without running them', () => {
      // `(\p{L}+\s*)+#|\S+` took 54 s on 47 characters.
      expect(refused(word('(\\p{L}+\\s*)+#|\\S+')).message).toMatch(/nested quantifier/);
      for (const p of ['(a+)+$', '(?:\\w+)*x', '(a|aa)+b', '(a*)*', '((ab)+c?)+', '(\\d+){2,}']) {
        expect(refused(word(p)).message, p).toMatch(/nested quantifier|alternation/);
      }
      expect(refused(word('(a)\\1')).message).toMatch(/backreference/);
      expect(refused(word('x'.repeat(300))).message).toMatch(/256/);
    });

    it('an invalid pattern or flag is a DataArgumentError, not a SyntaxError', () => {
      expect(refused(word('(')).message).toMatch(/not a valid regular expression/);
      expect(refused(word('a', 'gx')).message).toMatch(/flags/);
      expect(refused(word(42)).message).toMatch(/pattern/);
    });

    it('accepts the built-in patterns and simple custom ones', () => {
      const punct = wordTokenizer({ splitPunctuation: true }).toJSON();
      expect(tokenizerFromJSON(punct).tokenize("Don't!")).toEqual(['Don', "'", 't', '!']);
      expect(tokenizerFromJSON(wordTokenizer().toJSON()).tokenize('a b')).toEqual(['a', 'b']);
      for (const p of [
        '[a-z]+',
        "\\p{L}+(?:'\\p{L}+)?|\\S",
        '(?:ab)+',
        '\\d{1,3}(?:,\\d{3})?',
        '[(+)]+',
      ]) {
        expect(tokenizerFromJSON(word(p)).tokenize('ab'), p).toBeInstanceOf(Array);
      }
    });

    it('wordTokenizer applies the same rule, so that what is saved loads', () => {
      expect(() => wordTokenizer({ pattern: /(a+)+$/u })).toThrow(DataArgumentError);
    });
  });
});
