import { DataArgumentError } from './errors';

export const PAD = '<pad>';
export const UNK = '<unk>';
export const BOS = '<bos>';
export const EOS = '<eos>';
/** The reserved tokens, always ids 0–3 in this order: `<pad>` = 0, `<unk>` = 1, `<bos>` = 2, `<eos>` = 3. */
export const SPECIALS = [PAD, UNK, BOS, EOS] as const;

export interface VocabJSON {
  format: 'seqzoo-vocab';
  version: 1;
  tokens: string[];
}

export interface BuildOptions {
  /** Keep tokens seen at least this often. Default 1. */
  minFreq?: number;
  /** Keep at most this many tokens in all, specials included (most frequent first). */
  maxSize?: number;
  /** More reserved tokens after the four standard ones (e.g. '<sep>'). */
  extraSpecials?: string[];
}

export interface EncodeOptions {
  /** Prepend `<bos>`. */
  bos?: boolean;
  /** Append `<eos>`. */
  eos?: boolean;
}

/**
 * Token ↔ id. Ids 0–3 are `<pad>`, `<unk>`, `<bos>`, `<eos>`; then extra specials; then tokens by
 * falling frequency (ties in code-unit order, so a build is deterministic). Unknown tokens encode
 * to `<unk>`. Serialize with `toJSON()` (saved beside a model), restore with `Vocab.fromJSON`.
 */
export class Vocab {
  private readonly ids = new Map<string, number>();
  readonly tokens: readonly string[];
  readonly padId = 0;
  readonly unkId = 1;
  readonly bosId = 2;
  readonly eosId = 3;

  constructor(tokens: readonly string[]) {
    for (let i = 0; i < SPECIALS.length; i++)
      if (tokens[i] !== SPECIALS[i])
        throw new DataArgumentError(
          `A vocabulary must start with ${SPECIALS.join(', ')}; token ${i} is ${JSON.stringify(tokens[i])}. Build it with Vocab.build or Vocab.fromTokens.`,
        );
    tokens.forEach((t, i) => {
      if (this.ids.has(t))
        throw new DataArgumentError(
          `Token ${JSON.stringify(t)} appears twice in the vocabulary (ids ${this.ids.get(t)} and ${i}).`,
        );
      this.ids.set(t, i);
    });
    this.tokens = [...tokens];
  }

  /** A vocabulary of the specials followed by `tokens` (duplicates and specials dropped), in order. */
  static fromTokens(tokens: Iterable<string>, extraSpecials: string[] = []): Vocab {
    const all = [...SPECIALS, ...extraSpecials];
    const seen = new Set(all);
    for (const t of tokens)
      if (!seen.has(t)) {
        seen.add(t);
        all.push(t);
      }
    return new Vocab(all);
  }

  /** Counts the tokens of every sequence in `sequences` (arrays of tokens, sync or async). */
  static async build(
    sequences: AsyncIterable<readonly string[]> | Iterable<readonly string[]>,
    options: BuildOptions = {},
  ): Promise<Vocab> {
    const { minFreq = 1, maxSize = Number.POSITIVE_INFINITY, extraSpecials = [] } = options;
    if (!(minFreq >= 1)) throw new DataArgumentError(`minFreq must be >= 1, got ${minFreq}.`);
    const reserved = SPECIALS.length + extraSpecials.length;
    if (!(maxSize >= reserved))
      throw new DataArgumentError(
        `maxSize must leave room for the ${reserved} special tokens, got ${maxSize}.`,
      );
    const counts = new Map<string, number>();
    for await (const seq of sequences as AsyncIterable<readonly string[]>) {
      if (typeof seq === 'string')
        throw new DataArgumentError(
          'Vocab.build takes token arrays, not strings: tokenize first (e.g. map(tok.tokenize)).',
        );
      for (const t of seq) counts.set(t, (counts.get(t) ?? 0) + 1);
    }
    const specials = new Set<string>([...SPECIALS, ...extraSpecials]);
    const ranked = [...counts]
      .filter(([t, c]) => c >= minFreq && !specials.has(t))
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
      .slice(0, maxSize - reserved)
      .map(([t]) => t);
    return new Vocab([...SPECIALS, ...extraSpecials, ...ranked]);
  }

  static fromJSON(json: VocabJSON): Vocab {
    if (json?.format !== 'seqzoo-vocab' || !Array.isArray(json.tokens))
      throw new DataArgumentError(
        `Not a seqzoo vocabulary: expected { format: 'seqzoo-vocab', version: 1, tokens: [...] }, got ${JSON.stringify(json).slice(0, 80)}.`,
      );
    return new Vocab(json.tokens);
  }

  toJSON(): VocabJSON {
    return { format: 'seqzoo-vocab', version: 1, tokens: [...this.tokens] };
  }

  get size(): number {
    return this.tokens.length;
  }

  /** The id of `token`, `<unk>` when unknown. */
  idOf(token: string): number {
    return this.ids.get(token) ?? this.unkId;
  }

  has(token: string): boolean {
    return this.ids.has(token);
  }

  tokenOf(id: number): string {
    const t = this.tokens[id];
    if (t === undefined)
      throw new DataArgumentError(
        `Id ${id} is out of range for a vocabulary of ${this.size} tokens.`,
      );
    return t;
  }

  encode(tokens: readonly string[], options: EncodeOptions = {}): number[] {
    const out: number[] = [];
    if (options.bos) out.push(this.bosId);
    for (const t of tokens) out.push(this.ids.get(t) ?? this.unkId);
    if (options.eos) out.push(this.eosId);
    return out;
  }

  /** Ids back to tokens. By default stops at the first `<eos>` and drops `<pad>` and `<bos>`. */
  decode(ids: ArrayLike<number>, options: { keepSpecials?: boolean } = {}): string[] {
    const out: string[] = [];
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i];
      if (!options.keepSpecials) {
        if (id === this.eosId) break;
        if (id === this.padId || id === this.bosId) continue;
      }
      out.push(this.tokenOf(id));
    }
    return out;
  }
}
