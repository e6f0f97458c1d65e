import { DataArgumentError } from './errors';

/** Text → tokens and back. `detokenize(tokenize(x))` gives x back up to what the tokenizer drops. */
export interface Tokenizer {
  readonly kind: string;
  tokenize(text: string): string[];
  detokenize(tokens: readonly string[]): string;
  /** Plain JSON that `tokenizerFromJSON` turns back into the same tokenizer. */
  toJSON(): TokenizerJSON;
}

export type TokenizerJSON =
  | { kind: 'char'; lowercase: boolean }
  | { kind: 'word'; pattern: string; flags: string; lowercase: boolean; splitPunctuation: boolean }
  | { kind: 'pretokenized' };

/** Unicode code points (so an emoji or an astral character is one token, not two UTF-16 halves). */
export function charTokenizer(options: { lowercase?: boolean } = {}): Tokenizer {
  const { lowercase = false } = options;
  return {
    kind: 'char',
    tokenize: (text) => Array.from(lowercase ? text.toLowerCase() : text),
    detokenize: (tokens) => tokens.join(''),
    toJSON: () => ({ kind: 'char', lowercase }),
  };
}

export interface WordTokenizerOptions {
  /** What a token is. Default /\S+/ (runs of non-space); with `splitPunctuation`, words and single punctuation marks. */
  pattern?: RegExp;
  /** Lower-case before tokenizing. Default false. */
  lowercase?: boolean;
  /** Split punctuation off words ("don't!" → "don", "'", "t", "!"). Default false. */
  splitPunctuation?: boolean;
}

const PUNCT_SPLIT = /[\p{L}\p{N}\p{M}]+|[^\s\p{L}\p{N}\p{M}]/gu;

/** Words by a configurable regular expression; detokenize joins with spaces. */
export function wordTokenizer(options: WordTokenizerOptions = {}): Tokenizer {
  const { lowercase = false, splitPunctuation = false } = options;
  const base = options.pattern ?? (splitPunctuation ? PUNCT_SPLIT : /\S+/gu);
  const flags = base.flags.includes('g') ? base.flags : `${base.flags}g`;
  const pattern = new RegExp(base.source, flags);
  if (pattern.test(''))
    throw new DataArgumentError(
      `The word pattern ${base} matches the empty string; give one that matches at least one character.`,
    );
  return {
    kind: 'word',
    tokenize(text) {
      const s = lowercase ? text.toLowerCase() : text;
      return s.match(pattern) ?? [];
    },
    detokenize: (tokens) => tokens.join(' '),
    toJSON: () => ({ kind: 'word', pattern: pattern.source, flags, lowercase, splitPunctuation }),
  };
}

/** For data that is already a list of tokens (phonemes, tags): tokenize splits on spaces, arrays pass through `Vocab.encode` as is. */
export function pretokenized(): Tokenizer {
  return {
    kind: 'pretokenized',
    tokenize: (text) => text.split(/\s+/).filter((t) => t !== ''),
    detokenize: (tokens) => tokens.join(' '),
    toJSON: () => ({ kind: 'pretokenized' }),
  };
}

export function tokenizerFromJSON(json: TokenizerJSON): Tokenizer {
  switch (json?.kind) {
    case 'char':
      return charTokenizer({ lowercase: json.lowercase });
    case 'word':
      return wordTokenizer({
        pattern: new RegExp(json.pattern, json.flags),
        lowercase: json.lowercase,
        splitPunctuation: json.splitPunctuation,
      });
    case 'pretokenized':
      return pretokenized();
    default:
      throw new DataArgumentError(
        `Unknown tokenizer JSON ${JSON.stringify(json)}; expected kind 'char', 'word' or 'pretokenized'.`,
      );
  }
}
