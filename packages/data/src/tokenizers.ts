import { DataArgumentError } from './errors';

/** Text → tokens and back. `detokenize(tokenize(x))` gives x back up to what the tokenizer drops. */
export interface Tokenizer {
  readonly kind: string;
  /** Splits text into tokens. */
  tokenize(text: string): string[];
  /** Joins tokens back into text. */
  detokenize(tokens: readonly string[]): string;
  /** Plain JSON that `tokenizerFromJSON` turns back into the same tokenizer. */
  toJSON(): TokenizerJSON;
}

/** A tokenizer as JSON (`tokenizer.toJSON()`, `tokenizerFromJSON`), saved with a model. */
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

/** Options of the word tokenizer: what a token is, lower-casing, splitting off punctuation. */
export interface WordTokenizerOptions {
  /** What a token is. Default /\S+/ (runs of non-space); with `splitPunctuation`, words and single punctuation marks. */
  pattern?: RegExp;
  /** Lower-case before tokenizing. Default false. */
  lowercase?: boolean;
  /** Split punctuation off words ("don't!" → "don", "'", "t", "!"). Default false. */
  splitPunctuation?: boolean;
}

const PUNCT_SPLIT = /[\p{L}\p{N}\p{M}]+|[^\s\p{L}\p{N}\p{M}]/gu;
const WHITESPACE_SPLIT = /\S+/gu;
/** The built-in patterns: always accepted. */
const KNOWN_PATTERNS = new Set([PUNCT_SPLIT.source, WHITESPACE_SPLIT.source]);

/** Longest custom word pattern accepted. */
export const MAX_PATTERN_LENGTH = 256;

interface Frame {
  quantified: boolean;
  alternation: boolean;
}

/** Reads a quantifier at `i`: its length in characters and whether it repeats (max > 1). */
function quantifierAt(s: string, i: number): { length: number; repeats: boolean } | null {
  const c = s[i];
  let length = 0;
  let repeats = false;
  if (c === '*' || c === '+') [length, repeats] = [1, true];
  else if (c === '?') length = 1;
  else if (c === '{') {
    const m = /^\{(\d+)(,(\d*))?\}/.exec(s.slice(i));
    if (!m) return null;
    length = m[0].length;
    const max =
      m[2] === undefined ? Number(m[1]) : m[3] === '' ? Number.POSITIVE_INFINITY : Number(m[3]);
    repeats = max > 1;
  } else return null;
  if (s[i + length] === '?') length += 1; // lazy
  return { length, repeats };
}

/**
 * Why a regular expression could backtrack catastrophically, or null. Conservative and static:
 * it refuses a repeated group that holds a quantifier (`(a+)+`) or an alternation (`(a|aa)+`),
 * and backreferences. Patterns come from model.json, which is untrusted input (issue 20: a
 * pattern took 54 s on 47 characters).
 */
export function unsafePatternReason(source: string): string | null {
  if (source.length > MAX_PATTERN_LENGTH) {
    return `it is ${source.length} characters long, over the limit of ${MAX_PATTERN_LENGTH}`;
  }
  const stack: Frame[] = [{ quantified: false, alternation: false }];
  let i = 0;
  while (i < source.length) {
    const c = source[i];
    const top = stack[stack.length - 1];
    if (c === '\\') {
      const next = source[i + 1];
      if (/[1-9]/.test(next ?? '') || (next === 'k' && source[i + 2] === '<')) {
        return 'it has a backreference, which can take exponential time';
      }
      if ((next === 'p' || next === 'P') && source[i + 2] === '{') {
        const end = source.indexOf('}', i + 3);
        i = end < 0 ? source.length : end + 1;
      } else i += 2;
    } else if (c === '[') {
      let j = i + 1;
      if (source[j] === '^') j++;
      while (j < source.length && source[j] !== ']') j += source[j] === '\\' ? 2 : 1;
      i = j + 1;
    } else if (c === '(') {
      stack.push({ quantified: false, alternation: false });
      i += 1;
      const prefix = /^\?(?::|=|!|<=|<!|<[A-Za-z_$][\w$]*>)/.exec(source.slice(i));
      if (prefix) i += prefix[0].length;
    } else if (c === ')') {
      const group = stack.length > 1 ? (stack.pop() as Frame) : top;
      const parent = stack[stack.length - 1];
      i += 1;
      const q = quantifierAt(source, i);
      if (q?.repeats && group.quantified) {
        return 'it has a nested quantifier: a repeated group holds a quantifier (as in (a+)+), which can take exponential time';
      }
      if (q?.repeats && group.alternation) {
        return 'a repeated group holds an alternation (as in (a|aa)+), which can take exponential time';
      }
      parent.quantified ||= group.quantified || Boolean(q?.repeats);
      parent.alternation ||= group.alternation;
      if (q) i += q.length;
    } else if (c === '|') {
      top.alternation = true;
      i += 1;
    } else {
      const q = quantifierAt(source, i);
      if (q) {
        top.quantified ||= q.repeats;
        i += q.length;
      } else i += 1;
    }
  }
  return null;
}

/** Words by a configurable regular expression; detokenize joins with spaces. */
export function wordTokenizer(options: WordTokenizerOptions = {}): Tokenizer {
  const { lowercase = false, splitPunctuation = false } = options;
  const base = options.pattern ?? (splitPunctuation ? PUNCT_SPLIT : WHITESPACE_SPLIT);
  const unsafe = KNOWN_PATTERNS.has(base.source) ? null : unsafePatternReason(base.source);
  if (unsafe !== null) {
    throw new DataArgumentError(
      `The word pattern ${base.toString().slice(0, 300)} is refused: ${unsafe}. Rewrite it without repeating a group that holds a quantifier or '|' (e.g. (\\p{L}+\\s*)+ → [\\p{L}\\s]+), or use splitPunctuation.`,
    );
  }
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

/** The tokenizer that `toJSON()` gave `json`. */
export function tokenizerFromJSON(json: TokenizerJSON): Tokenizer {
  switch (json?.kind) {
    case 'char':
      return charTokenizer({ lowercase: json.lowercase });
    case 'word':
      return wordTokenizer({
        pattern: patternFromJSON(json.pattern, json.flags),
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

/** A saved word pattern, compiled after checks: strings, known flags, valid syntax (typed errors). */
function patternFromJSON(pattern: unknown, flags: unknown): RegExp {
  if (typeof pattern !== 'string') {
    throw new DataArgumentError(
      `The saved word tokenizer's pattern must be a string, got ${JSON.stringify(pattern)?.slice(0, 100)}; the model file is damaged.`,
    );
  }
  if (typeof flags !== 'string' || !/^[dgimsuyv]*$/.test(flags)) {
    throw new DataArgumentError(
      `The saved word tokenizer's flags ${JSON.stringify(flags)?.slice(0, 100)} are not regular-expression flags (any of d, g, i, m, s, u, v, y); the model file is damaged.`,
    );
  }
  const unsafe = KNOWN_PATTERNS.has(pattern) ? null : unsafePatternReason(pattern);
  if (unsafe !== null) {
    throw new DataArgumentError(
      `The saved word pattern /${pattern.slice(0, 300)}/ is refused: ${unsafe}. The model file was edited or is hostile; save the model again with a simpler pattern.`,
    );
  }
  try {
    return new RegExp(pattern, flags);
  } catch (cause) {
    throw new DataArgumentError(
      `The saved word pattern /${pattern.slice(0, 300)}/${flags} is not a valid regular expression (${(cause as Error).message}); the model file is damaged.`,
      { cause },
    );
  }
}
