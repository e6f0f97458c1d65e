import { DataArgumentError } from './errors';

/** The padding token (a `standard` vocabulary's id 0). */
export const PAD = '<pad>';
/** The unknown-token token, for tokens not in the vocabulary (a `standard` vocabulary's id 1). */
export const UNK = '<unk>';
/** The begin-of-sequence token (a `standard` vocabulary's id 2). */
export const BOS = '<bos>';
/** The end-of-sequence token (a `standard` vocabulary's id 3). */
export const EOS = '<eos>';
/** The reserved tokens, always ids 0–3 in this order: `<pad>` = 0, `<unk>` = 1, `<bos>` = 2, `<eos>` = 3. */
export const SPECIALS = [PAD, UNK, BOS, EOS] as const;

/** Which ids are the special tokens; `null` where the vocabulary has none. */
export interface VocabSpecials {
  pad: number | null;
  unk: number | null;
  bos: number | null;
  eos: number | null;
}

/** The standard specials: `<pad>` 0, `<unk>` 1, `<bos>` 2, `<eos>` 3. */
export const STANDARD_SPECIALS: Readonly<VocabSpecials> = Object.freeze({
  pad: 0,
  unk: 1,
  bos: 2,
  eos: 3,
});

const SPECIAL_KEYS = ['pad', 'unk', 'bos', 'eos'] as const;

/** A vocabulary as JSON (`vocab.toJSON()`, `Vocab.fromJSON`), saved with a model. */
export interface VocabJSON {
  format: 'seqzoo-vocab';
  version: 1;
  tokens: string[];
  /**
   * Which ids are pad/unk/bos/eos (each an id or null). Absent: the standard `<pad> <unk> <bos>
   * <eos>` at ids 0–3 (what `toJSON()` writes for such a vocabulary, as before).
   */
  specials?: VocabSpecials;
}

/**
 * A vocabulary made elsewhere (a PyTorch training script): the tokens in id order and which ids
 * are the specials, each possibly null. `Vocab.fromJSON` takes it as it is.
 */
export interface ExternalVocabJSON {
  tokens: string[];
  specials: VocabSpecials;
}

/** Options of `Vocab.build`: which tokens make it in. */
export interface BuildOptions {
  /** Keep tokens seen at least this often. Default 1. */
  minFreq?: number;
  /** Keep at most this many tokens in all, specials included (most frequent first). */
  maxSize?: number;
  /** More reserved tokens after the four standard ones (e.g. '<sep>'). */
  extraSpecials?: string[];
}

/** Options of `vocab.encode`. */
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
 *
 * A vocabulary made elsewhere keeps its ids: `new Vocab(tokens, specials)` (or `fromJSON` of
 * `{ tokens, specials }`) says which ids are pad/unk/bos/eos, each possibly `null`. Then
 * `specials` holds them, and `padId` … `eosId` throw a `DataArgumentError` for one that is null.
 */
export class Vocab {
  private readonly ids = new Map<string, number>();
  readonly tokens: readonly string[];
  /** The ids of pad/unk/bos/eos (`null`: none). */
  readonly specials: Readonly<VocabSpecials>;

  constructor(tokens: readonly string[], specials?: VocabSpecials) {
    if (specials === undefined) {
      for (let i = 0; i < SPECIALS.length; i++)
        if (tokens[i] !== SPECIALS[i])
          throw new DataArgumentError(
            `A vocabulary must start with ${SPECIALS.join(', ')}; token ${i} is ${JSON.stringify(tokens[i])}. Build it with Vocab.build or Vocab.fromTokens, or say which ids are the specials: new Vocab(tokens, { pad, unk, bos, eos }).`,
          );
    }
    this.specials = Object.freeze(checkSpecials(specials ?? STANDARD_SPECIALS, tokens.length));
    tokens.forEach((t, i) => {
      if (this.ids.has(t))
        throw new DataArgumentError(
          `Token ${JSON.stringify(t)} appears twice in the vocabulary (ids ${this.ids.get(t)} and ${i}).`,
        );
      this.ids.set(t, i);
    });
    this.tokens = [...tokens];
  }

  private special(key: keyof VocabSpecials): number {
    const id = this.specials[key];
    if (id === null)
      throw new DataArgumentError(
        `This vocabulary has no ${key} token (specials.${key} is null); give its id in the vocabulary's specials.`,
      );
    return id;
  }

  /** The padding id (throws when the vocabulary has none: see `specials.pad`). */
  get padId(): number {
    return this.special('pad');
  }
  /** The id unknown tokens encode to (throws when none: see `specials.unk`). */
  get unkId(): number {
    return this.special('unk');
  }
  get bosId(): number {
    return this.special('bos');
  }
  get eosId(): number {
    return this.special('eos');
  }

  /** Whether pad/unk/bos/eos are the standard `<pad> <unk> <bos> <eos>` at ids 0–3. */
  get standard(): boolean {
    return (
      SPECIAL_KEYS.every((k) => this.specials[k] === STANDARD_SPECIALS[k]) &&
      SPECIALS.every((t, i) => this.tokens[i] === t)
    );
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

  /**
   * A seqzoo vocabulary (`{ format: 'seqzoo-vocab', version: 1, tokens, specials? }`), or one made
   * elsewhere as it is: `{ tokens, specials: { pad, unk, bos, eos } }` (ids or null, every key
   * given).
   */
  static fromJSON(json: VocabJSON | ExternalVocabJSON): Vocab {
    const j = json as Partial<VocabJSON> | null;
    const external = j?.format === undefined && j?.specials !== undefined;
    if ((j?.format !== 'seqzoo-vocab' && !external) || !Array.isArray(j?.tokens))
      throw new DataArgumentError(
        `Not a seqzoo vocabulary: expected { format: 'seqzoo-vocab', version: 1, tokens: [...] } or { tokens: [...], specials: { pad, unk, bos, eos } }, got ${JSON.stringify(json)?.slice(0, 80)}.`,
      );
    if (j.tokens.some((t) => typeof t !== 'string'))
      throw new DataArgumentError('Every vocabulary token must be a string.');
    return new Vocab(j.tokens, j.specials);
  }

  /** The JSON form; `specials` only when they are not the standard ones (older readers load it). */
  toJSON(): VocabJSON {
    const out: VocabJSON = { format: 'seqzoo-vocab', version: 1, tokens: [...this.tokens] };
    if (!this.standard) out.specials = { ...this.specials };
    return out;
  }

  get size(): number {
    return this.tokens.length;
  }

  /** The id of `token`, `<unk>` when unknown (a `DataArgumentError` when there is no unk). */
  idOf(token: string): number {
    const id = this.ids.get(token);
    if (id !== undefined) return id;
    if (this.specials.unk === null)
      throw new DataArgumentError(
        `Token ${JSON.stringify(token)} is not in the vocabulary, which has no unk id (specials.unk is null); add the token or give an unk id.`,
      );
    return this.specials.unk;
  }

  /** Whether `token` is in the vocabulary. */
  has(token: string): boolean {
    return this.ids.has(token);
  }

  /** The token of `id`; throws a `DataArgumentError` when out of range. */
  tokenOf(id: number): string {
    const t = this.tokens[id];
    if (t === undefined)
      throw new DataArgumentError(
        `Id ${id} is out of range for a vocabulary of ${this.size} tokens.`,
      );
    return t;
  }

  /** The ids of `tokens` (as `idOf`), with the bos/eos ids added when `options` asks. */
  encode(tokens: readonly string[], options: EncodeOptions = {}): number[] {
    const out: number[] = [];
    if (options.bos) out.push(this.bosId);
    for (const t of tokens) out.push(this.idOf(t));
    if (options.eos) out.push(this.eosId);
    return out;
  }

  /** Ids back to tokens. By default stops at the first `<eos>` and drops `<pad>` and `<bos>`. */
  decode(ids: ArrayLike<number>, options: { keepSpecials?: boolean } = {}): string[] {
    const out: string[] = [];
    const { pad, bos, eos } = this.specials;
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i];
      if (!options.keepSpecials) {
        if (id === eos) break;
        if (id === pad || id === bos) continue;
      }
      out.push(this.tokenOf(id));
    }
    return out;
  }
}

/** The specials checked: every key present, each null or an id of a vocabulary of `size` tokens. */
function checkSpecials(specials: VocabSpecials, size: number): VocabSpecials {
  if (typeof specials !== 'object' || specials === null)
    throw new DataArgumentError(
      `A vocabulary's specials must be { pad, unk, bos, eos } (ids or null), got ${JSON.stringify(specials)}.`,
    );
  const out = {} as VocabSpecials;
  for (const key of SPECIAL_KEYS) {
    const id = (specials as unknown as Record<string, unknown>)[key];
    if (id === undefined)
      throw new DataArgumentError(
        `The vocabulary's specials has no '${key}': give its id, or null when there is none.`,
      );
    if (id !== null && !(Number.isInteger(id) && (id as number) >= 0 && (id as number) < size))
      throw new DataArgumentError(
        `specials.${key} is ${JSON.stringify(id)}, not an id of this vocabulary of ${size} tokens (0…${size - 1}) nor null.`,
      );
    out[key] = id as number | null;
  }
  return out;
}
