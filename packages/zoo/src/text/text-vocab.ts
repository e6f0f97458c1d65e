import {
  charTokenizer,
  DataArgumentError,
  type ExternalVocabJSON,
  SPECIALS,
  type Tokenizer,
  type TokenizerJSON,
  tokenizerFromJSON,
  Vocab,
  type VocabJSON,
  wordTokenizer,
} from '@seqzoo/data';
import { z } from 'zod';
import { ZooFormatError } from '../errors';
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

/**
 * What a text model takes as its `text` vocabulary: what it saved (`TextVocabJSON`), or a
 * vocabulary made elsewhere (a PyTorch script), as it is: `{ tokens, specials: { pad, unk, bos,
 * eos } }` (ids or null), alone or as `vocab` beside an optional `tokenizer` (default: the one
 * of the model's `text` config).
 */
export type TextVocabInput =
  | TextVocabJSON
  | { tokenizer?: TokenizerJSON; vocab: VocabJSON | ExternalVocabJSON }
  | (ExternalVocabJSON & { tokenizer?: TokenizerJSON });

/**
 * The tokenizer and vocabulary of a `TextVocabInput` (the saved `TextVocabJSON`, or a vocabulary
 * made elsewhere, whose ids are kept); `text`: the model's text settings, for the tokenizer when
 * the JSON has none. A malformed one is a `ZooFormatError` naming `vocabularies.text`.
 */
export function textVocabFromJSON(
  json: TextVocabInput,
  text?: TextInputConfig,
): { tokenizer: Tokenizer; vocab: Vocab } {
  const j = json as { tokenizer?: TokenizerJSON; vocab?: unknown; tokens?: unknown } | null;
  if (typeof j !== 'object' || j === null || (j.vocab === undefined && j.tokens === undefined)) {
    throw new ZooFormatError(
      `vocabularies.text: expected { tokenizer?, vocab } or { tokens: [...], specials: { pad, unk, bos, eos } }, got ${JSON.stringify(json)?.slice(0, 80)}.`,
    );
  }
  if (j.tokenizer === undefined && text === undefined) {
    throw new ZooFormatError('vocabularies.text: no tokenizer; give { tokenizer, vocab }.');
  }
  try {
    const tokenizer =
      j.tokenizer !== undefined ? tokenizerFromJSON(j.tokenizer) : makeTokenizer(text!);
    const vocab = Vocab.fromJSON((j.vocab ?? j) as VocabJSON);
    return { tokenizer, vocab };
  } catch (error) {
    if (error instanceof DataArgumentError) {
      throw new ZooFormatError(`vocabularies.text: ${error.message}`, { cause: error });
    }
    throw error;
  }
}
