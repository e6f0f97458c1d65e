import { padSequences, Rng, type Tokenizer, type Vocab } from '@seqzoo/data';
import {
  Dense,
  Embedding,
  Module,
  Random,
  type RecurrentLayer,
  type SequenceState,
} from '@seqzoo/layers';
import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import { checkPositiveInt, parseConfig, ZooConfigError, ZooFormatError } from '../errors';
import { MAX_LAYERS, MAX_LENGTH, MAX_WIDTH } from '../limits';
import { type PerplexityResult, perplexityFrom } from '../metrics';
import { cellSchema, makeRecurrent } from '../nn/recurrent';
import { checkSampling, type SamplingOptions, sampleIndex } from '../sampling';
import { fitWithTask, type TrainHistory, type ZooFitOptions } from '../task/fit-with-task';
import {
  buildTextVocab,
  stripBom,
  type TextVocabInput,
  type TextVocabJSON,
  textInputSchema,
  textVocabFromJSON,
} from '../text/text-vocab';
import { batchify, bpttWindows } from './bptt';
import { charLmTask, wordLmTask } from './task';

function lmSchema(unit: 'char' | 'word') {
  const text = textInputSchema.extend({
    unit: z.enum(['char', 'word']).default(unit),
    lowercase: z.boolean().default(unit === 'word'),
  });
  return z.object({
    text: text.default(text.parse({})),
    embeddingSize: z.number().int().positive().max(MAX_WIDTH).default(32),
    cell: cellSchema.default('lstm'),
    hiddenSize: z.number().int().positive().max(MAX_WIDTH).default(64),
    numLayers: z.number().int().positive().max(MAX_LAYERS).default(1),
    /**
     * Dropout in training on the embeddings, between stacked layers and on the top layer's
     * outputs (Zaremba et al. 2014: never on the recurrent connections). Default 0.
     */
    dropout: z.number().min(0).lt(1).default(0),
    /** Share the embedding matrix with the output layer (needs embeddingSize = hiddenSize). */
    tieEmbeddings: z.boolean().default(false),
    /** Truncated-BPTT window length in tokens (default 32). */
    bptt: z.number().int().positive().max(MAX_LENGTH).default(32),
    seed: z.number().int().default(0),
  });
}

/** The config schema of `zoo:char-lm` (characters, case kept by default). */
export const charLmConfigSchema = lmSchema('char');
/** The config schema of `zoo:word-lm` (words, lower-cased by default). */
export const wordLmConfigSchema = lmSchema('word');
/** A language-model config as given (defaults may be left out). */
export type LmConfigInput = z.input<typeof charLmConfigSchema>;
/** A language-model config with its defaults filled in. */
export type LmConfig = z.output<typeof charLmConfigSchema>;

/** What `RecurrentLM.fit` takes (defaults: the char/word LM task's training defaults). */
export type LmTrainOptions = ZooFitOptions;

/** What `RecurrentLM.generate` takes: a prompt, a length limit, a seed and sampling options. */
export interface GenerateOptions extends SamplingOptions {
  /** Text to continue (default: start a new sequence). */
  prompt?: string;
  /** Most tokens to generate (default 100); stops earlier at `<eos>`. */
  maxLength?: number;
  seed?: number;
}

/** One BPTT window of `windows()`: what `loss(batch)` (and @seqzoo/train's `fit`) takes. */
export interface LmWindowBatch {
  /** `[rows, width]` input ids. */
  input: number[][];
  /** The same rows shifted by one token. */
  target: number[][];
  /** The first window of a pass: start from the zero state. */
  first: boolean;
}

interface Parts {
  tokenizer: Tokenizer;
  vocab: Vocab;
  embedding: Embedding;
  rnn: RecurrentLayer<string>;
  decoder: Dense | null;
  outputBias: tf.Variable | null;
}

/**
 * `zoo:char-lm` and `zoo:word-lm`: embedding → stacked RNN/GRU/LSTM → softmax over the
 * vocabulary. Sequences (names, lines) are joined into one stream with `<eos>` before each and
 * after the last, cut into parallel rows and trained by truncated BPTT: the state at the end of a
 * window starts the next one (as values: no gradient flows back across windows).
 */
export class RecurrentLM extends Module {
  readonly config: LmConfig;
  private parts_: Parts | null = null;
  /** State carried between `loss(batch)` calls, and the one the previous call started from. */
  private carried: SequenceState<string> | undefined;
  private retired: SequenceState<string> | undefined;
  private readonly dropoutRng: Random;
  /** 'char' (`zoo:char-lm`) or 'word' (`zoo:word-lm`): which task and defaults apply. */
  readonly kind: 'char' | 'word';

  constructor(
    config: LmConfigInput = {},
    saved?: { text?: TextVocabInput },
    unit: 'char' | 'word' = 'char',
  ) {
    super();
    this.kind = unit;
    this.config = parseConfig(
      unit === 'char' ? charLmConfigSchema : wordLmConfigSchema,
      config,
      unit === 'char' ? 'zoo:char-lm' : 'zoo:word-lm',
    );
    const c = this.config;
    this.dropoutRng = new Random(c.seed + 3);
    if (c.tieEmbeddings && c.embeddingSize !== c.hiddenSize) {
      throw new ZooConfigError(
        'tieEmbeddings',
        `tied embeddings need embeddingSize = hiddenSize, got ${c.embeddingSize} and ${c.hiddenSize}.`,
      );
    }
    if (saved?.text) {
      const { tokenizer, vocab } = textVocabFromJSON(saved.text, c.text);
      if (vocab.specials.eos === null) {
        throw new ZooFormatError(
          "vocabularies.text: a language model needs an eos id (the token read before each text and predicted after it, e.g. the id of '\\n'); specials.eos is null.",
        );
      }
      this.build(tokenizer, vocab);
    }
  }

  private build(tokenizer: Tokenizer, vocab: Vocab): void {
    const c = this.config;
    const embedding = this.registerModule(
      'embedding',
      new Embedding({
        numEmbeddings: vocab.size,
        embeddingDim: c.embeddingSize,
        // PyTorch's padding_idx: the row starts at zero and gets no gradient.
        paddingIdx: vocab.specials.pad ?? undefined,
        seed: c.seed,
      }),
    );
    const rnn = this.registerModule(
      'rnn',
      makeRecurrent({
        cell: c.cell,
        inputSize: c.embeddingSize,
        hiddenSize: c.hiddenSize,
        numLayers: c.numLayers,
        dropout: c.dropout,
        seed: c.seed + 1,
      }),
    );
    let decoder: Dense | null = null;
    let outputBias: tf.Variable | null = null;
    if (c.tieEmbeddings) {
      outputBias = this.registerParameter('outputBias', tf.zeros([vocab.size]));
    } else {
      decoder = this.registerModule(
        'decoder',
        new Dense({ inputSize: c.hiddenSize, outputSize: vocab.size, seed: c.seed + 2 }),
      );
    }
    this.parts_ = { tokenizer, vocab, embedding, rnn, decoder, outputBias };
    this.eval();
  }

  private get parts(): Parts {
    if (!this.parts_) {
      throw new ZooConfigError(
        'lm',
        'the language model has no vocabulary yet; call fit(texts) first.',
      );
    }
    return this.parts_;
  }

  get isFitted(): boolean {
    return this.parts_ !== null;
  }

  get vocab(): Vocab {
    return this.parts.vocab;
  }

  /** Token ids of `text` (no specials; a leading byte-order mark is not a token). */
  encode(text: string): number[] {
    const { tokenizer, vocab } = this.parts;
    return vocab.encode(tokenizer.tokenize(stripBom(text)));
  }

  /**
   * The texts as one token stream, `<eos>` before each and after the last. Built with a loop,
   * not `push(...ids)`: a 150 000-token text would overflow the call stack as spread arguments.
   */
  private stream(texts: readonly string[]): number[] {
    const eos = this.vocab.eosId;
    const stream: number[] = [];
    for (const text of texts) {
      stream.push(eos);
      for (const id of this.encode(text)) stream.push(id);
    }
    stream.push(eos);
    return stream;
  }

  /** Logits `[..., V]` of hidden states `[..., H]`. */
  logits(h: tf.Tensor): tf.Tensor {
    const { decoder, embedding, outputBias } = this.parts;
    return tf.tidy(() => {
      if (decoder) return decoder.forward(h);
      const flat = tf.reshape(h, [-1, this.config.hiddenSize]) as tf.Tensor2D;
      const out = tf.add(
        tf.matMul(flat, embedding.weight as tf.Tensor2D, false, true),
        outputBias as tf.Tensor,
      );
      return tf.reshape(out, [...h.shape.slice(0, -1), this.vocab.size]);
    });
  }

  /**
   * Runs a window: ids `[B, T]` from `state` (zeros when undefined) → logits `[B, T, V]` and the
   * state after the last step (`lengths`: per-row valid steps; the state is taken there).
   */
  forward(
    ids: tf.Tensor,
    state?: SequenceState<string>,
    lengths?: readonly number[],
  ): { logits: tf.Tensor3D; state: SequenceState<string> } {
    const { embedding, rnn } = this.parts;
    const rate = this.training ? this.config.dropout : 0;
    const drop = (x: tf.Tensor) =>
      rate > 0 ? tf.dropout(x, rate, undefined, this.dropoutRng.nextInt()) : x;
    return tf.tidy(() => {
      const out = rnn.forward(drop(embedding.forward(tf.cast(ids, 'int32'))), {
        initialState: state,
        lengths,
      });
      return { logits: this.logits(drop(out.output)) as tf.Tensor3D, state: out.state };
    });
  }

  /**
   * Trains on `texts` (each a sequence: a name, a line) by truncated BPTT through @seqzoo/train
   * (the task's windows and loss; defaults from `charLmTask.training`: Adam 3e-3, clipping 1,
   * 32 rows, 5 epochs). Builds the vocabulary on the first call. Returns the mean loss per epoch.
   */
  async fit(texts: readonly string[], options: LmTrainOptions = {}): Promise<TrainHistory> {
    if (texts.length === 0)
      throw new ZooConfigError('texts', 'no training texts; pass at least one.');
    try {
      return await fitWithTask(
        this,
        this.kind === 'word' ? wordLmTask : charLmTask,
        texts.map((text) => ({ text })),
        options,
      );
    } finally {
      this.resetState();
    }
  }

  /** Builds the vocabulary from `texts` unless it has one (before an outside fit loop). */
  prepare(texts: readonly string[]): this {
    if (!this.parts_) {
      const { tokenizer, vocab } = buildTextVocab(texts, this.config.text);
      this.build(tokenizer, vocab);
    }
    return this;
  }

  /**
   * One pass of truncated-BPTT windows over `texts` (shuffled with `seed` unless `shuffle` is
   * false, joined with `<eos>`, cut into `batchSize` rows, default 32): feed them in order to `loss(batch)`, e.g. with @seqzoo/train's
   * `fit(model, Dataset.from(model.windows(texts)), { optimizer })`. Builds the vocabulary on
   * the first call.
   */
  windows(
    texts: readonly string[],
    options: { batchSize?: number; seed?: number; shuffle?: boolean } = {},
  ): LmWindowBatch[] {
    this.prepare(texts);
    const batchSize = checkPositiveInt('batchSize', options.batchSize ?? 32);
    const order = texts.map((_, i) => i);
    if (options.shuffle !== false) new Rng(options.seed ?? 0).shuffle(order);
    const stream = this.stream(order.map((i) => texts[i]));
    const rows = batchify(stream, Math.min(batchSize, Math.max(1, Math.floor(stream.length / 2))));
    return bpttWindows(rows[0].length, this.config.bptt).map(([t0, width], k) => ({
      input: rows.map((r) => r.slice(t0, t0 + width)),
      target: rows.map((r) => r.slice(t0 + 1, t0 + 1 + width)),
      first: k === 0,
    }));
  }

  /**
   * Mean next-token loss of a window, starting from the state the previous window ended in (or
   * zeros when `batch.first`); that state is carried as values, so no gradient crosses windows.
   * Call `resetState()` when done to free the carried state.
   */
  loss(batch: LmWindowBatch): tf.Scalar {
    if (this.retired) tf.dispose(Object.values(this.retired));
    this.retired = undefined;
    if (batch.first) this.resetState();
    return tf.tidy(() => {
      const x = tf.tensor2d(batch.input, undefined, 'int32');
      const y = tf.tensor2d(batch.target, undefined, 'int32');
      const out = this.forward(x, this.carried);
      for (const s of Object.values(out.state)) tf.keep(s);
      // The starting state is still needed by this step's backward pass: free it next call.
      this.retired = this.carried;
      this.carried = out.state;
      return sequenceNll(out.logits, y);
    });
  }

  /**
   * The weights and, in training mode between two windows of a pass, the state carried to the
   * next window (`carried.<key>`, e.g. `carried.h`, `carried.c` for an LSTM): so a checkpoint
   * written mid-epoch resumes exactly (the same next loss as an uninterrupted run). In eval mode
   * (after `fit`, when the registry saves) only the weights.
   */
  override stateDict(): Map<string, tf.Tensor> {
    const out = super.stateDict();
    if (this.training && this.carried) {
      for (const [key, t] of Object.entries(this.carried)) out.set(`${CARRIED}${key}`, t);
    }
    return out;
  }

  /** Loads weights, and the carried state when the dict has one (otherwise none is carried). */
  override loadStateDict(
    state: Map<string, tf.Tensor> | Record<string, tf.Tensor>,
    options?: { strict?: boolean },
  ): void {
    const given = state instanceof Map ? state : new Map(Object.entries(state));
    const weights = new Map<string, tf.Tensor>();
    const carried: Record<string, tf.Tensor3D> = {};
    for (const [key, t] of given) {
      if (key.startsWith(CARRIED)) carried[key.slice(CARRIED.length)] = t as tf.Tensor3D;
      else weights.set(key, t);
    }
    super.loadStateDict(weights, options);
    this.resetState();
    if (Object.keys(carried).length > 0) {
      const kept: Record<string, tf.Tensor3D> = {};
      for (const [key, t] of Object.entries(carried)) kept[key] = tf.keep(tf.clone(t));
      this.carried = kept as SequenceState<string>;
    }
  }

  /** Frees the state carried between `loss(batch)` calls. */
  resetState(): void {
    for (const s of [this.carried, this.retired]) if (s) tf.dispose(Object.values(s));
    this.carried = undefined;
    this.retired = undefined;
  }

  override dispose(): void {
    this.resetState();
    super.dispose();
  }

  /**
   * Perplexity over `texts`: every token and each text's closing `<eos>` is predicted (the same
   * count as `MarkovModel.perplexity`). `mode: 'independent'` (default) scores each text on its
   * own from the zero state after reading `<eos>`; `'stream'` reads the texts in order as one
   * stream (`<eos>` before each), the state carried through, as in training.
   * `bitsPerToken` is bits per character for a char model.
   */
  evaluate(
    texts: readonly string[],
    options: { mode?: 'independent' | 'stream' } = {},
  ): PerplexityResult {
    if (options.mode === 'stream') return this.evaluateStream(texts);
    const encoded = texts.map((t) => this.encode(t));
    const order = encoded.map((_, i) => i).sort((a, b) => encoded[a].length - encoded[b].length);
    const eos = this.vocab.eosId;
    let nll = 0;
    let tokens = 0;
    for (let b = 0; b < order.length; b += 64) {
      const seqs = order.slice(b, b + 64).map((i) => encoded[i]);
      const inputs = padSequences(seqs.map((s) => [eos, ...s]));
      const targets = padSequences(seqs.map((s) => [...s, eos]));
      const lengths = Array.from(inputs.lengths);
      const sum = tf.tidy(() => {
        const x = tf.tensor2d(inputs.ids, inputs.shape, 'int32');
        const y = tf.tensor2d(targets.ids, targets.shape, 'int32');
        const mask = tf.tensor2d(Float32Array.from(inputs.mask), inputs.shape);
        const { logits, state } = this.forward(x, undefined, lengths);
        tf.dispose(Object.values(state));
        return tf.sum(tf.mul(tokenNll(logits, y), mask));
      });
      nll += sum.dataSync()[0];
      sum.dispose();
      tokens += lengths.reduce((s, n) => s + n, 0);
    }
    return perplexityFrom(nll, tokens, 'texts', 'nothing to score; pass at least one text.');
  }

  private evaluateStream(texts: readonly string[]): PerplexityResult {
    const stream = this.stream(texts);
    let state: SequenceState<string> | undefined;
    let nll = 0;
    for (const [t0, width] of bpttWindows(stream.length, this.config.bptt)) {
      const out = tf.tidy(() => {
        const x = tf.tensor2d([stream.slice(t0, t0 + width)], [1, width], 'int32');
        const y = tf.tensor2d([stream.slice(t0 + 1, t0 + 1 + width)], [1, width], 'int32');
        const { logits, state: next } = this.forward(x, state);
        return { sum: tf.sum(tokenNll(logits, y)), next };
      });
      if (state) tf.dispose(Object.values(state));
      state = out.next;
      nll += out.sum.dataSync()[0];
      out.sum.dispose();
    }
    if (state) tf.dispose(Object.values(state));
    const tokens = stream.length - 1;
    return perplexityFrom(nll, tokens, 'texts', 'nothing to score; pass at least one text.');
  }

  /**
   * Generates a continuation of `prompt` token by token through the stateful step API, sampling
   * with temperature, top-k and top-p (seeded), until `<eos>` or `maxLength` new tokens.
   * pad, unk and bos (those the vocabulary has) are never sampled. Returns the prompt and the
   * continuation.
   */
  generate(options: GenerateOptions = {}): string {
    checkSampling(options);
    const { vocab, tokenizer, embedding, rnn } = this.parts;
    const rng = new Random(options.seed);
    const maxLength = options.maxLength ?? 100;
    const promptTokens = tokenizer.tokenize(options.prompt ?? '');
    const stepper = rnn.createStepper({ batchSize: 1 });
    const generated: number[] = [];
    let h: tf.Tensor2D | null = null;
    const feed = (id: number) => {
      // Not inside tf.tidy: the stepper keeps the new state it makes.
      const x = tf.tidy(() => embedding.forward(tf.tensor1d([id], 'int32')));
      const out = stepper.step(x);
      x.dispose();
      h?.dispose();
      h = out;
    };
    try {
      feed(vocab.eosId);
      for (const id of vocab.encode(promptTokens)) feed(id);
      while (generated.length < maxLength) {
        const last = h as unknown as tf.Tensor2D;
        const probs = tf.tidy(() => tf.softmax(this.logits(last)));
        const p = Float64Array.from(probs.dataSync());
        probs.dispose();
        for (const banned of [vocab.specials.pad, vocab.specials.unk, vocab.specials.bos])
          if (banned !== null) p[banned] = 0;
        const id = sampleIndex(p, rng, options);
        if (id === vocab.eosId) break;
        generated.push(id);
        feed(id);
      }
    } finally {
      (h as tf.Tensor2D | null)?.dispose();
      stepper.dispose();
    }
    return tokenizer.detokenize([...promptTokens, ...generated.map((id) => vocab.tokenOf(id))]);
  }

  /** The JSON saved beside the weights (tokenizer and vocabulary); empty before fitting. */
  vocabularies(): { text?: TextVocabJSON } {
    if (!this.parts_) return {};
    return {
      text: { tokenizer: this.parts_.tokenizer.toJSON(), vocab: this.parts_.vocab.toJSON() },
    };
  }
}

const CARRIED = 'carried.';

/** Per-position negative log-likelihood `[B, T]` of int targets under logits `[B, T, V]`. */
export function tokenNll(logits: tf.Tensor, targets: tf.Tensor): tf.Tensor2D {
  return tf.tidy(() => {
    const V = logits.shape[logits.rank - 1] as number;
    const logp = tf.logSoftmax(logits);
    const onehot = tf.oneHot(tf.cast(targets, 'int32') as tf.Tensor2D, V);
    return tf.neg(tf.sum(tf.mul(logp, onehot), -1)) as tf.Tensor2D;
  });
}

/** Mean next-token cross-entropy over every position. */
export function sequenceNll(logits: tf.Tensor, targets: tf.Tensor): tf.Scalar {
  return tf.tidy(() => tf.mean(tokenNll(logits, targets)) as tf.Scalar);
}
