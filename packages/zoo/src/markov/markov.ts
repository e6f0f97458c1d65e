import { Random } from '@seqzoo/layers';
import { z } from 'zod';
import { parseConfig, ZooConfigError, ZooFormatError } from '../errors';
import { type PerplexityResult, perplexityFrom } from '../metrics';
import { checkSampling, type SamplingOptions, sampleIndex } from '../sampling';
import { detokenize, tokenize } from '../text/tokens';
import { addCount, buildTables, type ContextCounts, contextKey, type NgramTables } from './counts';

/** Add-k (Laplace for k = 1) or interpolated Kneser–Ney smoothing. */
export type MarkovSmoothing = 'add-k' | 'kneser-ney';

/** The one config schema of `zoo:markov` and `MarkovModel` (defaults fill what is left out). */
export const markovConfigSchema = z.object({
  /** Characters or whitespace-separated words (default 'char'). */
  unit: z.enum(['char', 'word']).default('char'),
  /** Markov order: how many previous tokens the next one depends on (0 = unigram). Default 2. */
  order: z.number().int().min(0).max(16).default(2),
  /** Default 'kneser-ney' (interpolated, Chen & Goodman 1998). */
  smoothing: z.enum(['add-k', 'kneser-ney']).default('kneser-ney'),
  /** The k of add-k (Laplace is 1). Default 1. */
  addK: z.number().positive().finite().default(1),
  /** Absolute discount of Kneser–Ney, in (0, 1]. Default 0.75. */
  discount: z.number().positive().max(1).default(0.75),
  /** Lower-case the text before cutting it (default false). */
  lowercase: z.boolean().default(false),
  /** Tokens seen fewer times than this in training become `<unk>` (default 1). */
  minCount: z.number().int().positive().default(1),
});

/** A Markov config as given (every field optional). */
export type MarkovConfig = z.input<typeof markovConfigSchema>;
/** A Markov config with its defaults filled in. */
export type ResolvedMarkovConfig = z.output<typeof markovConfigSchema>;

/** Markov's sentence-start padding token (not data's `<bos>`). */
export const BOS = '<s>';
/** Markov's end-of-sequence token (not data's `<eos>`). */
export const EOS = '</s>';
/** The token that stands for anything unseen in training. */
export const UNK = '<unk>';
const BOS_ID = -1;
const EOS_ID = 0;
const UNK_ID = 1;

export type { PerplexityResult } from '../metrics';

/** The JSON form of a trained model (`toJSON` / `MarkovModel.fromJSON`). */
export interface MarkovJSON {
  format: 'seqzoo.markov/1';
  config: ResolvedMarkovConfig;
  /** Index = token id; 0 is `</s>`, 1 is `<unk>`. */
  vocab: string[];
  /** Every (order+1)-gram seen in training as token ids (`<s>` is -1) and its count. */
  ngrams: [number[], number][];
}

/** `config` with its defaults filled in; a bad field is a `ZooConfigError` naming it. */
export function resolveMarkovConfig(config: MarkovConfig = {}): ResolvedMarkovConfig {
  return parseConfig(markovConfigSchema, config, 'zoo:markov');
}

/**
 * An n-gram language model over characters or words: P(w | previous `order` tokens), with add-k
 * or interpolated Kneser–Ney smoothing. Every sequence (a name, a line) is padded with `order`
 * `<s>` on the left and ends with `</s>`; the model predicts over its vocabulary, which is every
 * training token plus `</s>` and `<unk>`. Counts are plain JSON (`toJSON`).
 */
export class MarkovModel {
  readonly config: ResolvedMarkovConfig;
  readonly vocab: readonly string[];
  private readonly ids: Map<string, number>;
  private readonly tables: NgramTables;

  private constructor(
    config: ResolvedMarkovConfig,
    vocab: string[],
    top: Map<string, ContextCounts>,
  ) {
    this.config = config;
    this.vocab = vocab;
    this.ids = new Map(vocab.map((t, i) => [t, i]));
    this.tables = buildTables(top, config.order + 1, config.smoothing === 'kneser-ney');
  }

  /** Counts the n-grams of `sequences` (texts, or already-cut token arrays). */
  static fit(
    sequences: Iterable<string | readonly string[]>,
    config: MarkovConfig = {},
  ): MarkovModel {
    const resolved = resolveMarkovConfig(config);
    const cut: string[][] = [];
    const freq = new Map<string, number>();
    for (const s of sequences) {
      const tokens = typeof s === 'string' ? tokenize(s, resolved) : [...s];
      cut.push(tokens);
      for (const t of tokens) freq.set(t, (freq.get(t) ?? 0) + 1);
    }
    if (cut.length === 0) {
      throw new ZooConfigError('sequences', 'no training sequences; pass at least one text.');
    }
    const kept = [...freq].filter(
      ([t, c]) => c >= resolved.minCount && t !== EOS && t !== UNK && t !== BOS,
    );
    const vocab = [EOS, UNK, ...kept.map(([t]) => t).sort()];
    const ids = new Map(vocab.map((t, i) => [t, i]));
    const top = new Map<string, ContextCounts>();
    const k = resolved.order;
    for (const tokens of cut) {
      const padded = [
        ...new Array<number>(k).fill(BOS_ID),
        ...tokens.map((t) => ids.get(t) ?? UNK_ID),
        EOS_ID,
      ];
      for (let i = k; i < padded.length; i++)
        addCount(top, contextKey(padded.slice(i - k, i)), padded[i]);
    }
    return new MarkovModel(resolved, vocab, top);
  }

  /** Rebuilds a model from `toJSON()` output. */
  static fromJSON(json: MarkovJSON): MarkovModel {
    if (
      json?.format !== 'seqzoo.markov/1' ||
      !Array.isArray(json.vocab) ||
      !Array.isArray(json.ngrams)
    ) {
      throw new ZooFormatError(
        "Not a saved markov model: expected { format: 'seqzoo.markov/1', config, vocab, ngrams }.",
      );
    }
    const config = resolveMarkovConfig(json.config);
    const top = new Map<string, ContextCounts>();
    for (const [gram, count] of json.ngrams) {
      if (gram.length !== config.order + 1) {
        throw new ZooFormatError(
          `Saved n-gram [${gram}] has ${gram.length} ids, expected ${config.order + 1}.`,
        );
      }
      addCount(top, contextKey(gram.slice(0, -1)), gram[gram.length - 1], count);
    }
    return new MarkovModel(config, [...json.vocab], top);
  }

  /** The vocabulary and top-order n-gram counts as JSON (`MarkovModel.fromJSON` reads it back). */
  toJSON(): MarkovJSON {
    const ngrams: [number[], number][] = [];
    for (const [ctx, entry] of this.tables[this.config.order + 1]) {
      const prefix = ctx === '' ? [] : ctx.split(',').map(Number);
      for (const [id, c] of entry.counts) ngrams.push([[...prefix, id], c]);
    }
    return {
      format: 'seqzoo.markov/1',
      config: { ...this.config },
      vocab: [...this.vocab],
      ngrams,
    };
  }

  get vocabSize(): number {
    return this.vocab.length;
  }

  /** Token ids of the context that the next token depends on (left-padded with `<s>`). */
  private contextIds(context: string | readonly string[]): number[] {
    const tokens = typeof context === 'string' ? tokenize(context, this.config) : context;
    const ids = tokens.map((t) => this.ids.get(t) ?? UNK_ID);
    const k = this.config.order;
    const padded = [...new Array<number>(k).fill(BOS_ID), ...ids];
    return padded.slice(padded.length - k);
  }

  /** P(next token | context) for every vocabulary entry (indexed like `vocab`); sums to 1. */
  distribution(context: string | readonly string[] = []): Float64Array {
    return this.distributionOf(this.contextIds(context));
  }

  private distributionOf(ctx: number[]): Float64Array {
    const V = this.vocab.length;
    const n = this.config.order + 1;
    if (this.config.smoothing === 'add-k') {
      const entry = this.tables[n].get(contextKey(ctx));
      const a = this.config.addK;
      const denom = (entry?.total ?? 0) + a * V;
      const out = new Float64Array(V).fill(a / denom);
      if (entry) for (const [id, c] of entry.counts) out[id] = (c + a) / denom;
      return out;
    }
    // Interpolated Kneser–Ney, from the uniform distribution up to order n:
    // P_m(w | h) = max(c_m(h w) - D, 0) / c_m(h) + D * N1+(h •) / c_m(h) * P_{m-1}(w | h'),
    // with c_n the raw counts and c_m (m < n) the continuation counts; unseen h: P_{m-1}.
    const D = this.config.discount;
    let p = new Float64Array(V).fill(1 / V);
    for (let m = 1; m <= n; m++) {
      const entry = this.tables[m].get(contextKey(ctx.slice(ctx.length - (m - 1))));
      if (!entry || entry.total === 0) continue;
      const next = new Float64Array(V);
      const backoff = (D * entry.counts.size) / entry.total;
      for (let w = 0; w < V; w++) next[w] = backoff * p[w];
      for (const [id, c] of entry.counts) next[id] += Math.max(c - D, 0) / entry.total;
      p = next;
    }
    return p;
  }

  /** P(token | context). */
  prob(token: string, context: string | readonly string[] = []): number {
    const id = this.ids.get(token) ?? UNK_ID;
    return this.distribution(context)[id];
  }

  /** The `topN` most likely next tokens after `context`, most likely first. */
  predictNext(
    context: string | readonly string[] = [],
    topN = 5,
  ): { token: string; prob: number }[] {
    const p = this.distribution(context);
    return Array.from(p, (prob, i) => ({ token: this.vocab[i], prob }))
      .sort((a, b) => b.prob - a.prob)
      .slice(0, topN);
  }

  /** Log-likelihood (nats) of each token of `sequence` and of its closing `</s>`. */
  tokenLogProbs(sequence: string | readonly string[]): number[] {
    const tokens = typeof sequence === 'string' ? tokenize(sequence, this.config) : sequence;
    const k = this.config.order;
    const ids = [
      ...new Array<number>(k).fill(BOS_ID),
      ...tokens.map((t) => this.ids.get(t) ?? UNK_ID),
      EOS_ID,
    ];
    const out: number[] = [];
    for (let i = k; i < ids.length; i++) {
      const p = this.distributionOf(ids.slice(i - k, i))[ids[i]];
      out.push(Math.log(p));
    }
    return out;
  }

  /** Perplexity over `sequences`, every token and every closing `</s>` predicted. */
  perplexity(sequences: Iterable<string | readonly string[]>): PerplexityResult {
    let nll = 0;
    let tokens = 0;
    for (const s of sequences) {
      for (const lp of this.tokenLogProbs(s)) {
        nll -= lp;
        tokens++;
      }
    }
    return perplexityFrom(
      nll,
      tokens,
      'sequences',
      'nothing to score; pass at least one sequence.',
    );
  }

  /**
   * Samples a sequence after `prompt` (default: from the start) until `</s>` or `maxLength`
   * tokens. `<unk>` is never sampled. Seeded: the same seed gives the same text.
   */
  sample(
    options: SamplingOptions & {
      seed?: number;
      prompt?: string | readonly string[];
      maxLength?: number;
    } = {},
  ): string {
    checkSampling(options);
    const rng = new Random(options.seed);
    const maxLength = options.maxLength ?? 100;
    const prompt = options.prompt ?? [];
    const tokens = typeof prompt === 'string' ? tokenize(prompt, this.config) : [...prompt];
    const generated: string[] = [];
    while (generated.length < maxLength) {
      const p = this.distribution([...tokens, ...generated]);
      p[UNK_ID] = 0;
      const id = sampleIndex(p, rng, options);
      if (id === EOS_ID) break;
      generated.push(this.vocab[id]);
    }
    return detokenize([...tokens, ...generated], this.config.unit);
  }
}
