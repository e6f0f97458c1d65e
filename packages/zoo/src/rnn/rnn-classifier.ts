import { padSequences, type Tokenizer, type Vocab } from '@seqzoo/data';
import { Dense, Embedding, Module, type RecurrentLayer } from '@seqzoo/layers';
import { type ClassificationReport, classificationReport } from '@seqzoo/train';
import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import { parseConfig, ZooConfigError, ZooFormatError } from '../errors';
import { MAX_LAYERS, MAX_LENGTH, MAX_WIDTH } from '../limits';
import { classifierLoss } from '../mlp/mlp';
import { cellSchema, makeRecurrent } from '../nn/recurrent';
import { fitWithTask, type TrainHistory, type ZooFitOptions } from '../task/fit-with-task';
import { encodeLabels, type TextBatch } from '../text/labels';
import {
  buildTextVocab,
  type TextVocabInput,
  type TextVocabJSON,
  textInputSchema,
  textVocabFromJSON,
} from '../text/text-vocab';
import { rnnClassifierTask } from './task';

/** The config schema of `zoo:rnn-classifier`. */
export const rnnClassifierConfigSchema = z.object({
  text: textInputSchema.default(textInputSchema.parse({})),
  /** Tokens kept per text (the first ones). Default 200. */
  maxLength: z.number().int().positive().max(MAX_LENGTH).default(200),
  embeddingSize: z.number().int().positive().max(MAX_WIDTH).default(32),
  cell: cellSchema.default('lstm'),
  hiddenSize: z.number().int().positive().max(MAX_WIDTH).default(32),
  numLayers: z.number().int().positive().max(MAX_LAYERS).default(1),
  bidirectional: z.boolean().default(false),
  /** Dropout between stacked recurrent layers, in training (default 0). */
  dropout: z.number().min(0).max(1).default(0),
  /** 'last': the final state at each text's length; 'mean'/'max': over the valid steps. */
  pooling: z.enum(['last', 'mean', 'max']).default('last'),
  /** 'softmax' over the classes, or 'sigmoid' (two classes: one output). */
  output: z.enum(['softmax', 'sigmoid']).default('softmax'),
  seed: z.number().int().default(0),
});

/** An rnn-classifier config as given (defaults may be left out). */
export type RnnClassifierConfigInput = z.input<typeof rnnClassifierConfigSchema>;
/** An rnn-classifier config with its defaults filled in. */
export type RnnClassifierConfig = z.output<typeof rnnClassifierConfigSchema>;

/** What the rnn-classifier saves beside its weights: the tokenizer and vocabulary, and the labels. */
export interface RnnClassifierVocabularies {
  /** What it saved, or on import a vocabulary made elsewhere (`TextVocabInput`). */
  text?: TextVocabJSON | TextVocabInput;
  labels?: string[];
}

interface Parts {
  tokenizer: Tokenizer;
  vocab: Vocab;
  labels: string[];
  embedding: Embedding;
  rnn: RecurrentLayer<string>;
  head: Dense;
}

/**
 * `zoo:rnn-classifier`: embedding → stacked (optionally bidirectional) LSTM/GRU/RNN → pooling
 * (last state at each length, masked mean or masked max) → dense → softmax/sigmoid. Children:
 * `embedding`, `rnn` (`rnn.l0.weightIh`, …), `head`.
 */
export class RnnClassifier extends Module {
  readonly config: RnnClassifierConfig;
  private parts_: Parts | null = null;

  constructor(config: RnnClassifierConfigInput = {}, saved?: RnnClassifierVocabularies) {
    super();
    this.config = parseConfig(rnnClassifierConfigSchema, config, 'zoo:rnn-classifier');
    if (saved?.text && saved.labels) {
      const { tokenizer, vocab } = textVocabFromJSON(saved.text, this.config.text);
      this.build(tokenizer, vocab, saved.labels);
    }
  }

  private build(tokenizer: Tokenizer, vocab: Vocab, labels: string[]): void {
    const c = this.config;
    if (c.output === 'sigmoid' && labels.length !== 2) {
      throw new ZooConfigError(
        'output',
        `'sigmoid' needs exactly two classes, got ${labels.length}; use 'softmax'.`,
      );
    }
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
        bidirectional: c.bidirectional,
        dropout: c.dropout,
        returnSequences: c.pooling !== 'last',
        seed: c.seed + 1,
      }),
    );
    const head = this.registerModule(
      'head',
      new Dense({
        inputSize: rnn.outputSize,
        outputSize: c.output === 'sigmoid' ? 1 : labels.length,
        seed: c.seed + 2,
      }),
    );
    this.parts_ = { tokenizer, vocab, labels: [...labels], embedding, rnn, head };
    this.eval();
  }

  get isFitted(): boolean {
    return this.parts_ !== null;
  }

  private get parts(): Parts {
    if (!this.parts_) {
      throw new ZooConfigError(
        'rnn-classifier',
        'the classifier is not fitted; call fit(texts, labels) first.',
      );
    }
    return this.parts_;
  }

  get labels(): readonly string[] {
    return this.parts.labels;
  }

  get vocab(): Vocab {
    return this.parts.vocab;
  }

  /**
   * Token ids of `text`, cut to `maxLength` (at least one token: unk for an empty text, or pad
   * when the vocabulary has no unk).
   */
  encode(text: string): number[] {
    const { tokenizer, vocab } = this.parts;
    const ids = vocab.encode(tokenizer.tokenize(text)).slice(0, this.config.maxLength);
    if (ids.length > 0) return ids;
    const filler = vocab.specials.unk ?? vocab.specials.pad;
    if (filler === null) {
      throw new ZooFormatError(
        'an empty text, and the vocabulary has neither an unk nor a pad id to stand for it; give one in its specials.',
      );
    }
    return [filler];
  }

  /** Logits `[B, classes]` (one column for a sigmoid output) of padded ids `[B, T]`. */
  forward(ids: tf.Tensor, lengths: readonly number[]): tf.Tensor2D {
    const { embedding, rnn, head } = this.parts;
    return tf.tidy(() => {
      const x = embedding.forward(tf.cast(ids, 'int32'));
      const { output } = rnn.forward(x, { lengths });
      const pooled = this.pool(output, lengths);
      return head.forward(pooled) as tf.Tensor2D;
    });
  }

  private pool(output: tf.Tensor, lengths: readonly number[]): tf.Tensor {
    const { pooling } = this.config;
    if (pooling === 'last') return output; // the layer returned the state at each length
    const [B, T] = output.shape;
    const len = tf.tensor1d(lengths as number[], 'int32');
    const steps = tf.reshape(tf.range(0, T as number, 1, 'int32'), [1, T as number]);
    const mask = tf.expandDims(
      tf.cast(tf.less(steps, tf.reshape(len, [B as number, 1])), 'float32'),
      2,
    ); // [B, T, 1]
    if (pooling === 'mean') {
      return tf.div(tf.sum(tf.mul(output, mask), 1), tf.reshape(tf.cast(len, 'float32'), [B, 1]));
    }
    return tf.max(tf.add(output, tf.mul(tf.sub(mask, 1), 1e9)), 1);
  }

  private batch(ids: number[][]): { x: tf.Tensor2D; lengths: number[] } {
    // Padded steps are never read (lengths, masks): any id does when there is no pad.
    const padded = padSequences(ids, { padId: this.parts.vocab.specials.pad ?? 0 });
    return {
      x: tf.tensor2d(padded.ids, padded.shape, 'int32'),
      lengths: Array.from(padded.lengths),
    };
  }

  /**
   * Learns the vocabulary and classes from `texts`/`labels` (first call), then trains through
   * @seqzoo/train (the task's batches and loss; defaults from `rnnClassifierTask.training`).
   */
  async fit(
    texts: readonly string[],
    labels: readonly string[],
    options: ZooFitOptions = {},
  ): Promise<TrainHistory> {
    if (texts.length !== labels.length) {
      throw new ZooConfigError('labels', `${texts.length} texts but ${labels.length} labels.`);
    }
    return fitWithTask(
      this,
      rnnClassifierTask,
      texts.map((text, i) => ({ text, label: labels[i] })),
      options,
    );
  }

  /** The mean loss of a batch of raw texts and labels: what @seqzoo/train's `fit` calls. */
  loss(batch: TextBatch): tf.Scalar {
    const ids = encodeLabels(batch.labels, this.parts.labels).ids;
    return tf.tidy(() => {
      const { x, lengths } = this.batch(batch.texts.map((t) => this.encode(t)));
      return classifierLoss(
        this.forward(x, lengths),
        tf.tensor1d(ids, 'int32'),
        this.config.output,
      );
    });
  }

  /** Learns the vocabulary and the classes without training (before an outside fit loop). */
  prepare(texts: readonly string[], labels: readonly string[]): this {
    if (!this.parts_) {
      const { tokenizer, vocab } = buildTextVocab(texts, this.config.text);
      this.build(tokenizer, vocab, encodeLabels(labels).names);
    }
    return this;
  }

  /** Class probabilities `[texts.length, classes]`. */
  predictProba(texts: readonly string[]): tf.Tensor2D {
    const encoded = texts.map((t) => this.encode(t));
    // Batches of similar lengths, then back to the input order.
    const order = encoded.map((_, i) => i).sort((a, b) => encoded[a].length - encoded[b].length);
    const rows: tf.Tensor2D[] = [];
    for (let b = 0; b < order.length; b += 64) {
      rows.push(
        tf.tidy(() => {
          const { x, lengths } = this.batch(order.slice(b, b + 64).map((i) => encoded[i]));
          const logits = this.forward(x, lengths);
          return this.config.output === 'softmax'
            ? tf.softmax(logits)
            : (tf.concat([tf.sub(1, tf.sigmoid(logits)), tf.sigmoid(logits)], 1) as tf.Tensor2D);
        }),
      );
    }
    return tf.tidy(() => {
      const sorted = tf.concat(rows, 0);
      const inverse = new Int32Array(order.length);
      order.forEach((i, j) => {
        inverse[i] = j;
      });
      tf.dispose(rows);
      return tf.gather(sorted, tf.tensor1d(inverse, 'int32')) as tf.Tensor2D;
    });
  }

  /** The most likely label of each text. */
  predict(texts: readonly string[]): string[] {
    const ids = tf.tidy(() => tf.argMax(this.predictProba(texts), 1));
    const out = Array.from(ids.dataSync(), (i) => this.parts.labels[i]);
    ids.dispose();
    return out;
  }

  /** Accuracy, per-class F1 and the confusion matrix on labelled texts. */
  evaluate(texts: readonly string[], labels: readonly string[]): ClassificationReport {
    const names = this.parts.labels;
    const truth = encodeLabels(labels, names).ids;
    const predicted = encodeLabels(this.predict(texts), names).ids;
    return classificationReport(truth, predicted, names);
  }

  /** The JSON saved beside the weights (tokenizer, vocabulary, labels); empty before fitting. */
  vocabularies(): RnnClassifierVocabularies {
    if (!this.parts_) return {};
    const { tokenizer, vocab, labels } = this.parts_;
    return { text: { tokenizer: tokenizer.toJSON(), vocab: vocab.toJSON() }, labels: [...labels] };
  }
}
