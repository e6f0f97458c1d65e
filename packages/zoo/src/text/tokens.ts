/** How text is cut into tokens: characters (code points) or whitespace-separated words. */
export type TokenUnit = 'char' | 'word';

/** How Markov text is cut: unit and case. */
export interface TokenizeOptions {
  unit: TokenUnit;
  /** Lower-case before cutting (default false). */
  lowercase?: boolean;
}

/** Cuts `text` into tokens: code points for 'char', runs of non-space for 'word'. */
export function tokenize(text: string, { unit, lowercase = false }: TokenizeOptions): string[] {
  const t = lowercase ? text.toLowerCase() : text;
  if (unit === 'char') return Array.from(t);
  return t.split(/\s+/).filter((w) => w.length > 0);
}

/** The inverse of `tokenize` up to whitespace: '' between characters, ' ' between words. */
export function detokenize(tokens: readonly string[], unit: TokenUnit): string {
  return tokens.join(unit === 'char' ? '' : ' ');
}
