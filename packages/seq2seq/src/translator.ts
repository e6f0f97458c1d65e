import {
  charTokenizer,
  type Tokenizer,
  type TokenizerJSON,
  tokenizerFromJSON,
  Vocab,
  type VocabJSON,
} from '@seqzoo/data';
import * as tf from '@tensorflow/tfjs-core';
import { Seq2SeqInputError } from './errors';
import { Seq2Seq, type Seq2SeqConfig } from './model';
import { type BeamOptions, beamSearch, greedyDecode, type Hypothesis } from './search';

/** Options of `new Translator`: how source texts are split and output tokens joined. */
export interface TranslatorOptions {
  /** Splits source text into tokens; default `charTokenizer()`. */
  sourceTokenizer?: Tokenizer;
  /** Joins output tokens into text (`detokenize`); default `charTokenizer()`. */
  targetTokenizer?: Tokenizer;
}

/** Options of `translator.translate`: greedy or beam search, and the beam's options. */
export interface TranslateOptions extends BeamOptions {
  /** 'beam' (default) or 'greedy' (one hypothesis per input). */
  method?: 'greedy' | 'beam';
}

/** A hypothesis with its text and the tokens on both sides. */
export interface Translation extends Hypothesis {
  text: string;
  outputTokens: string[];
  sourceTokens: string[];
}

/** What `Translator.toJSON` writes: config, vocabularies, tokenizers and weights (base64 float32). */
export interface TranslatorJSON {
  format: 'seqzoo-seq2seq';
  version: 1;
  config: Seq2SeqConfig;
  sourceVocab: VocabJSON;
  targetVocab: VocabJSON;
  sourceTokenizer: TokenizerJSON;
  targetTokenizer: TokenizerJSON;
  weights: Record<string, { shape: number[]; data: string }>;
}

/** Little-endian float32 bytes as base64 (btoa/atob: Node ≥ 16 and browsers). */
function toBase64(values: Float32Array): string {
  const bytes = new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary);
}

function fromBase64(text: string): Float32Array {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return new Float32Array(bytes.buffer);
}

/**
 * Text in, text out: a `Seq2Seq` with its source and target vocabularies and tokenizers.
 * Inputs are strings (tokenized by the source tokenizer) or token arrays (used as they are).
 */
export class Translator {
  readonly sourceTokenizer: Tokenizer;
  readonly targetTokenizer: Tokenizer;

  constructor(
    readonly model: Seq2Seq,
    readonly sourceVocab: Vocab,
    readonly targetVocab: Vocab,
    options: TranslatorOptions = {},
  ) {
    this.sourceTokenizer = options.sourceTokenizer ?? charTokenizer();
    this.targetTokenizer = options.targetTokenizer ?? charTokenizer();
    const c = model.config;
    if (sourceVocab.size !== c.sourceVocabSize || targetVocab.size !== c.targetVocabSize) {
      throw new Seq2SeqInputError(
        `The vocabularies (${sourceVocab.size} source, ${targetVocab.size} target tokens) do not fit the model (${c.sourceVocabSize}, ${c.targetVocabSize}). Build the model with sourceVocabSize: sourceVocab.size, targetVocabSize: targetVocab.size.`,
      );
    }
    if (
      c.padId !== targetVocab.padId ||
      c.bosId !== targetVocab.bosId ||
      c.eosId !== targetVocab.eosId
    ) {
      throw new Seq2SeqInputError(
        `The model's special ids (pad ${c.padId}, bos ${c.bosId}, eos ${c.eosId}) differ from the vocabulary's (${targetVocab.padId}, ${targetVocab.bosId}, ${targetVocab.eosId}).`,
      );
    }
  }

  /** Source tokens of an input. */
  tokens(input: string | readonly string[]): string[] {
    return typeof input === 'string' ? this.sourceTokenizer.tokenize(input) : [...input];
  }

  /** Encodes a target text or token list into ids (no specials), for training batches. */
  encodeTarget(target: string | readonly string[]): number[] {
    const tokens = typeof target === 'string' ? this.targetTokenizer.tokenize(target) : target;
    return this.targetVocab.encode(tokens);
  }

  /** Encodes a source text or token list into ids. */
  encodeSource(input: string | readonly string[]): number[] {
    return this.sourceVocab.encode(this.tokens(input));
  }

  /** Translates a batch; per input, the n-best list (one entry with greedy). */
  translate(
    inputs: readonly (string | readonly string[])[],
    options: TranslateOptions = {},
  ): Translation[][] {
    const sourceTokens = inputs.map((x) => this.tokens(x));
    sourceTokens.forEach((t, i) => {
      if (t.length === 0)
        throw new Seq2SeqInputError(`Input ${i} has no tokens; give non-empty inputs.`);
    });
    const ids = sourceTokens.map((t) => this.sourceVocab.encode(t));
    const lists: Hypothesis[][] =
      options.method === 'greedy'
        ? greedyDecode(this.model, ids, options).map((h) => [h])
        : beamSearch(this.model, ids, options);
    return lists.map((list, i) =>
      list.map((h) => {
        const outputTokens = h.tokens.map((id) => this.targetVocab.tokenOf(id));
        return {
          ...h,
          outputTokens,
          sourceTokens: sourceTokens[i],
          text: this.targetTokenizer.detokenize(outputTokens),
        };
      }),
    );
  }

  /**
   * A text heat map of a translation's attention: one row per output token, one column per
   * source token, shaded ' ░▒▓█' by weight.
   */
  formatAttention(translation: Translation): string {
    if (!translation.attention) return '(this model has no attention)';
    const shades = ' ░▒▓█';
    const src = translation.sourceTokens;
    const width = Math.max(...translation.outputTokens.map((t) => t.length), 1);
    const lines = [
      `${' '.repeat(width)} ${src.map((t) => (t === ' ' ? '␣' : t).slice(0, 1)).join('')}`,
    ];
    translation.attention.forEach((row, i) => {
      const cells = row.map((w) => shades[Math.min(4, Math.floor(w * 5))]).join('');
      lines.push(`${translation.outputTokens[i].padStart(width)} ${cells}`);
    });
    return lines.join('\n');
  }

  /** Config, vocabularies, tokenizers and weights as plain JSON. */
  async toJSON(): Promise<TranslatorJSON> {
    const weights: TranslatorJSON['weights'] = {};
    for (const [name, t] of this.model.stateDict()) {
      weights[name] = { shape: t.shape, data: toBase64((await t.data()) as Float32Array) };
    }
    const { seed: _seed, ...config } = this.model.config;
    return {
      format: 'seqzoo-seq2seq',
      version: 1,
      config,
      sourceVocab: this.sourceVocab.toJSON(),
      targetVocab: this.targetVocab.toJSON(),
      sourceTokenizer: this.sourceTokenizer.toJSON(),
      targetTokenizer: this.targetTokenizer.toJSON(),
      weights,
    };
  }

  /** Rebuilds a translator (on the current backend) from `toJSON()`'s output. */
  static fromJSON(json: TranslatorJSON): Translator {
    if (json?.format !== 'seqzoo-seq2seq' || json.version !== 1) {
      throw new Seq2SeqInputError(
        `Not a saved seqzoo seq2seq model: expected { format: 'seqzoo-seq2seq', version: 1 }, got ${JSON.stringify(json).slice(0, 80)}.`,
      );
    }
    const model = new Seq2Seq({ ...json.config, seed: 0 });
    const state = new Map<string, tf.Tensor>();
    for (const [name, w] of Object.entries(json.weights)) {
      state.set(name, tf.tensor(fromBase64(w.data), w.shape, 'float32'));
    }
    try {
      model.loadStateDict(state);
    } catch (error) {
      model.dispose();
      throw error;
    } finally {
      tf.dispose([...state.values()]);
    }
    return new Translator(
      model,
      Vocab.fromJSON(json.sourceVocab),
      Vocab.fromJSON(json.targetVocab),
      {
        sourceTokenizer: tokenizerFromJSON(json.sourceTokenizer),
        targetTokenizer: tokenizerFromJSON(json.targetTokenizer),
      },
    );
  }
}
