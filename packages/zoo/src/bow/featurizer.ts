import { type Tokenizer, wordTokenizer } from '@seqzoo/data';
import { z } from 'zod';
import { ZooConfigError, ZooFormatError } from '../errors';
import { MAX_VOCAB } from '../limits';

/** The schema of the bag-of-words / TF-IDF features (n-grams, document-frequency limits, weighting). */
export const bowFeaturesSchema = z.object({
  /** Lower-case the text (default true). */
  lowercase: z.boolean().default(true),
  /** Words and single punctuation marks as tokens (default true); false: runs of non-space. */
  splitPunctuation: z.boolean().default(true),
  /** Smallest and largest n-gram length: [1, 1] unigrams, [1, 2] unigrams and bigrams (default). */
  ngramRange: z
    .tuple([z.number().int().positive().max(16), z.number().int().positive().max(16)])
    .default([1, 2]),
  /** Keep terms in at least this many documents (>= 1) or this fraction of them (< 1). Default 2. */
  minDf: z.number().positive().default(2),
  /** Drop terms in more than this fraction of the documents (default 1: none dropped). */
  maxDf: z.number().positive().max(1).default(1),
  /** Keep the most frequent terms (by count over the corpus) up to this many. Default 20000. */
  maxFeatures: z.number().int().positive().max(MAX_VOCAB).default(20000),
  /** 'tfidf' (default), 'count' (bag of words) or 'binary' (presence). */
  weighting: z.enum(['tfidf', 'count', 'binary']).default('tfidf'),
  /** Use 1 + ln(tf) instead of tf (default false). */
  sublinearTf: z.boolean().default(false),
  /** Scale each document vector to unit L2 norm (default true). */
  normalize: z.boolean().default(true),
});

/** Feature settings with their defaults filled in. */
export type BowFeaturesConfig = z.output<typeof bowFeaturesSchema>;

/** A fitted featurizer as JSON (saved in the model's vocabularies as `bow`). */
export interface BowFeaturesJSON {
  format: 'seqzoo.bow/1';
  config: BowFeaturesConfig;
  terms: string[];
  idf: number[];
}

/** A document as a sparse vector: feature ids (ascending) and their values. */
export interface SparseVector {
  indices: number[];
  values: number[];
}

/**
 * Bag-of-words / TF-IDF features over word n-grams, as scikit-learn's TfidfVectorizer with
 * smooth_idf: idf(t) = ln((1 + N) / (1 + df(t))) + 1, value = tf · idf, then L2 normalisation.
 * Bigrams join their words with a space. Terms are sorted, so the feature order is stable.
 */
export class BowFeaturizer {
  readonly config: BowFeaturesConfig;
  readonly terms: readonly string[];
  readonly idf: Float64Array;
  private readonly tokenizer: Tokenizer;
  private readonly index: Map<string, number>;

  private constructor(config: BowFeaturesConfig, terms: string[], idf: ArrayLike<number>) {
    this.config = config;
    this.terms = terms;
    this.idf = Float64Array.from(idf);
    this.tokenizer = makeTokenizer(config);
    this.index = new Map(terms.map((t, i) => [t, i]));
  }

  /** Learns the terms and their document frequencies from `texts`. */
  static fit(
    texts: readonly string[],
    config: z.input<typeof bowFeaturesSchema> = {},
  ): BowFeaturizer {
    const c = bowFeaturesSchema.parse(config);
    if (c.ngramRange[0] > c.ngramRange[1]) {
      throw new ZooConfigError('ngramRange', `[${c.ngramRange}] has min > max; use e.g. [1, 2].`);
    }
    if (texts.length === 0) throw new ZooConfigError('texts', 'no documents; pass at least one.');
    const tokenizer = makeTokenizer(c);
    const df = new Map<string, number>();
    const tf = new Map<string, number>();
    for (const text of texts) {
      const grams = ngrams(tokenizer.tokenize(text), c.ngramRange);
      for (const g of grams) tf.set(g, (tf.get(g) ?? 0) + 1);
      for (const g of new Set(grams)) df.set(g, (df.get(g) ?? 0) + 1);
    }
    const n = texts.length;
    const minDocs = c.minDf >= 1 ? c.minDf : Math.ceil(c.minDf * n);
    const maxDocs = c.maxDf * n;
    const kept = [...df]
      .filter(([, d]) => d >= minDocs && d <= maxDocs)
      .map(([t]) => t)
      .sort((a, b) => (tf.get(b) ?? 0) - (tf.get(a) ?? 0) || (a < b ? -1 : a > b ? 1 : 0))
      .slice(0, c.maxFeatures)
      .sort();
    if (kept.length === 0) {
      throw new ZooConfigError(
        'minDf',
        `no term is in at least ${minDocs} of the ${n} documents (and at most maxDf); lower minDf.`,
      );
    }
    const idf = kept.map((t) => Math.log((1 + n) / (1 + (df.get(t) ?? 0))) + 1);
    return new BowFeaturizer(c, kept, idf);
  }

  /** The featurizer saved by `toJSON()`. */
  static fromJSON(json: BowFeaturesJSON): BowFeaturizer {
    if (json?.format !== 'seqzoo.bow/1' || !Array.isArray(json.terms) || !Array.isArray(json.idf)) {
      throw new ZooFormatError(
        "Not saved bag-of-words features: expected { format: 'seqzoo.bow/1', config, terms, idf }.",
      );
    }
    return new BowFeaturizer(bowFeaturesSchema.parse(json.config), [...json.terms], json.idf);
  }

  /** The settings, terms and idf weights as JSON. */
  toJSON(): BowFeaturesJSON {
    return {
      format: 'seqzoo.bow/1',
      config: this.config,
      terms: [...this.terms],
      idf: Array.from(this.idf),
    };
  }

  get size(): number {
    return this.terms.length;
  }

  /** The document's features as a sparse vector (unknown terms are dropped). */
  transform(text: string): SparseVector {
    const counts = new Map<number, number>();
    for (const g of ngrams(this.tokenizer.tokenize(text), this.config.ngramRange)) {
      const id = this.index.get(g);
      if (id !== undefined) counts.set(id, (counts.get(id) ?? 0) + 1);
    }
    const indices = [...counts.keys()].sort((a, b) => a - b);
    const { weighting, sublinearTf, normalize } = this.config;
    const values = indices.map((i) => {
      const c = counts.get(i) as number;
      if (weighting === 'binary') return 1;
      const tf = sublinearTf ? 1 + Math.log(c) : c;
      return weighting === 'tfidf' ? tf * this.idf[i] : tf;
    });
    if (normalize) {
      const norm = Math.sqrt(values.reduce((s, v) => s + v * v, 0));
      if (norm > 0) for (let j = 0; j < values.length; j++) values[j] /= norm;
    }
    return { indices, values };
  }

  /** Dense rows `[texts.length][size]` (for small inputs; training builds batches from sparse rows). */
  transformDense(texts: readonly string[]): Float32Array[] {
    return texts.map((t) => densify(this.transform(t), this.size));
  }
}

export function densify(v: SparseVector, size: number): Float32Array {
  const out = new Float32Array(size);
  for (let j = 0; j < v.indices.length; j++) out[v.indices[j]] = v.values[j];
  return out;
}

function makeTokenizer(c: BowFeaturesConfig): Tokenizer {
  return wordTokenizer({ lowercase: c.lowercase, splitPunctuation: c.splitPunctuation });
}

/** Every n-gram of `tokens` with min <= n <= max, words joined by a space. */
export function ngrams(tokens: readonly string[], [min, max]: readonly [number, number]): string[] {
  const out: string[] = [];
  for (let n = min; n <= max; n++) {
    for (let i = 0; i + n <= tokens.length; i++) out.push(tokens.slice(i, i + n).join(' '));
  }
  return out;
}
