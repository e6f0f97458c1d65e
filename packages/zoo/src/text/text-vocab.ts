import {
  charTokenizer,
  SPECIALS,
  type Tokenizer,
  type TokenizerJSON,
  tokenizerFromJSON,
  Vocab,
  type VocabJSON,
  wordTokenizer,
} from '@seqzoo/data';
import { z } from 'zod';
import { MAX_VOCAB } from '../limits';

/** How a text model cuts and counts its input: unit, case, vocabulary limits. */
export const textInputSchema = z.object({
  /** Characters or words (words: letters/digits runs and single punctuation marks). */
  unit: z.enum(['char', 'word']).default('word'),
  lowercase: z.boolean().default(true),
  /** Keep tokens seen at least this often in training (default 1). */
  minFreq: z.number().int().positive().default(1),
  /** Keep at most this many tokens, the four specials (<pad> <unk> <bos> <eos>) included. */
  maxVocab: z.number().int().min(5).max(MAX_VOCAB).default(20000),
});

/** Text settings with their defaults filled in. */
export type TextInputConfig = z.output<typeof textInputSchema>;

/** What a text model saves beside its weights: the tokenizer and the vocabulary. */
export interface TextVocabJSON {
  tokenizer: TokenizerJSON;
  vocab: VocabJSON;
}

/** `text` without a leading byte-order mark (U+FEFF), which a text file may start with. */
export function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** The tokenizer of text settings `c`. */
export function makeTokenizer(c: TextInputConfig): Tokenizer {
  return c.unit === 'char'
    ? charTokenizer({ lowercase: c.lowercase })
    : wordTokenizer({ lowercase: c.lowercase, splitPunctuation: true });
}

/**
 * A tokenizer and the vocabulary of `texts` under the limits of `c`: the specials, then tokens
 * by falling frequency (ties in code-unit order), as `Vocab.build` orders them, but synchronous.
 */
export function buildTextVocab(
  texts: Iterable<string>,
  c: TextInputConfig,
): { tokenizer: Tokenizer; vocab: Vocab } {
  const tokenizer = makeTokenizer(c);
  const counts = new Map<string, number>();
  for (const text of texts) {
    for (const t of tokenizer.tokenize(stripBom(text))) counts.set(t, (counts.get(t) ?? 0) + 1);
  }
  const specials = new Set<string>(SPECIALS);
  const ranked = [...counts]
    .filter(([t, n]) => n >= c.minFreq && !specials.has(t))
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .slice(0, c.maxVocab - SPECIALS.length)
    .map(([t]) => t);
  return { tokenizer, vocab: new Vocab([...SPECIALS, ...ranked]) };
}

/** The tokenizer and vocabulary saved as `TextVocabJSON`. */
export function textVocabFromJSON(json: TextVocabJSON): { tokenizer: Tokenizer; vocab: Vocab } {
  return { tokenizer: tokenizerFromJSON(json.tokenizer), vocab: Vocab.fromJSON(json.vocab) };
}
