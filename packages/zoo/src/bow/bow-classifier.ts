import { Module } from '@seqzoo/layers';
import { type ClassificationReport, classificationReport } from '@seqzoo/train';
import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import { parseConfig, ZooConfigError } from '../errors';
import { MAX_LAYERS, MAX_WIDTH } from '../limits';
import { Mlp } from '../mlp/mlp';
import { fitWithTask, type TrainHistory, type ZooFitOptions } from '../task/fit-with-task';
import { encodeLabels, type TextBatch } from '../text/labels';
import {
  type BowFeaturesJSON,
  BowFeaturizer,
  bowFeaturesSchema,
  type SparseVector,
} from './featurizer';
import { bowClassifierTask } from './task';

const activation = z.enum(['linear', 'relu', 'tanh', 'sigmoid', 'elu', 'gelu']);

/** The config schema of `zoo:bow-classifier` (features, hidden layers, output). */
export const bowClassifierConfigSchema = z.object({
  features: bowFeaturesSchema.default(bowFeaturesSchema.parse({})),
  /** [] (default): logistic / softmax regression on the features; otherwise an MLP. */
  hiddenSizes: z.array(z.number().int().positive().max(MAX_WIDTH)).max(MAX_LAYERS).default([]),
  activation: z.union([activation, z.array(activation)]).default('relu'),
  /** 'softmax' (default) over the classes, or 'sigmoid' (two classes only: one output). */
  output: z.enum(['softmax', 'sigmoid']).default('softmax'),
  seed: z.number().int().default(0),
});

/** A bow-classifier config as given (defaults may be left out). */
export type BowClassifierConfigInput = z.input<typeof bowClassifierConfigSchema>;
/** A bow-classifier config with its defaults filled in. */
export type BowClassifierConfig = z.output<typeof bowClassifierConfigSchema>;

/**
 * `zoo:bow-classifier`: bag-of-words / TF-IDF features (word unigrams and bigrams) → logistic
 * regression (no hidden layer) or an MLP. `fit(texts, labels)` learns the vocabulary, the
 * classes and the weights; the head is `head.fc0…`.
 */
export class BowClassifier extends Module {
  readonly config: BowClassifierConfig;
  private featurizer: BowFeaturizer | null = null;
  private labelNames: string[] | null = null;
  private mlp: Mlp | null = null;

  constructor(
    config: BowClassifierConfigInput = {},
    saved?: { bow?: BowFeaturesJSON; labels?: string[] },
  ) {
    super();
    this.config = parseConfig(bowClassifierConfigSchema, config, 'zoo:bow-classifier');
    if (saved?.bow && saved.labels) this.build(BowFeaturizer.fromJSON(saved.bow), saved.labels);
  }

  private build(featurizer: BowFeaturizer, labels: string[]): void {
    if (this.mlp)
      throw new ZooConfigError('fit', 'this classifier is already fitted; create a new one.');
    if (this.config.output === 'sigmoid' && labels.length !== 2) {
      throw new ZooConfigError(
        'output',
        `'sigmoid' needs exactly two classes, got ${labels.length}; use 'softmax'.`,
      );
    }
    this.featurizer = featurizer;
    this.labelNames = [...labels];
    this.mlp = this.registerModule(
      'head',
      new Mlp({
        inputSize: featurizer.size,
        hiddenSizes: this.config.hiddenSizes,
        activation: this.config.activation,
        output: this.config.output,
        outputSize: this.config.output === 'sigmoid' ? 1 : labels.length,
        seed: this.config.seed,
      }),
    );
    this.eval();
  }

  get isFitted(): boolean {
    return this.mlp !== null;
  }

  private get parts(): { featurizer: BowFeaturizer; labels: string[]; mlp: Mlp } {
    if (!this.mlp || !this.featurizer || !this.labelNames) {
      throw new ZooConfigError(
        'bow-classifier',
        'the classifier is not fitted; call fit(texts, labels) first.',
      );
    }
    return { featurizer: this.featurizer, labels: this.labelNames, mlp: this.mlp };
  }

  get labels(): readonly string[] {
    return this.parts.labels;
  }

  get features(): BowFeaturizer {
    return this.parts.featurizer;
  }

  /**
   * Learns the features and classes from `texts`/`labels` (first call), then trains the head
   * through @seqzoo/train (the task's batches and loss; defaults from `bowClassifierTask.training`).
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
      bowClassifierTask,
      texts.map((text, i) => ({ text, label: labels[i] })),
      options,
    );
  }

  /** The mean loss of a batch of raw texts and labels: what @seqzoo/train's `fit` calls. */
  loss(batch: TextBatch): tf.Scalar {
    const { featurizer, mlp, labels } = this.parts;
    const ids = encodeLabels(batch.labels, labels).ids;
    return tf.tidy(() =>
      mlp.loss({
        x: denseBatch(
          batch.texts.map((t) => featurizer.transform(t)),
          featurizer.size,
        ),
        y: tf.tensor1d(ids, 'int32'),
      }),
    );
  }

  /** Learns the features and the classes without training (before an outside fit loop). */
  prepare(texts: readonly string[], labels: readonly string[]): this {
    if (!this.mlp)
      this.build(BowFeaturizer.fit(texts, this.config.features), encodeLabels(labels).names);
    return this;
  }

  /** Class probabilities `[texts.length, classes]`. */
  predictProba(texts: readonly string[]): tf.Tensor2D {
    const { featurizer, mlp } = this.parts;
    return tf.tidy(() => {
      const p = mlp.predictProba(
        denseBatch(
          texts.map((t) => featurizer.transform(t)),
          featurizer.size,
        ),
      );
      return this.config.output === 'sigmoid'
        ? (tf.concat([tf.sub(1, p), p], 1) as tf.Tensor2D)
        : p;
    });
  }

  /** The most likely label of each text. */
  predict(texts: readonly string[]): string[] {
    const { labels } = this.parts;
    const out: string[] = [];
    for (let b = 0; b < texts.length; b += 256) {
      const ids = tf.tidy(() => tf.argMax(this.predictProba(texts.slice(b, b + 256)), 1));
      for (const id of ids.dataSync()) out.push(labels[id]);
      ids.dispose();
    }
    return out;
  }

  /** Accuracy, per-class F1 and the confusion matrix on labelled texts. */
  evaluate(texts: readonly string[], labels: readonly string[]): ClassificationReport {
    const names = this.parts.labels;
    const truth = encodeLabels(labels, names).ids;
    const predicted = encodeLabels(this.predict(texts), names).ids;
    return classificationReport(truth, predicted, names);
  }

  /** The JSON saved beside the weights (features and class names). */
  vocabularies(): { bow: BowFeaturesJSON; labels: string[] } | Record<string, never> {
    if (!this.mlp) return {};
    return { bow: this.parts.featurizer.toJSON(), labels: [...this.parts.labels] };
  }
}

/** Dense `[rows, size]` tensor of sparse rows. */
export function denseBatch(rows: readonly SparseVector[], size: number): tf.Tensor2D {
  const data = new Float32Array(rows.length * size);
  rows.forEach((r, i) => {
    for (let j = 0; j < r.indices.length; j++) data[i * size + r.indices[j]] = r.values[j];
  });
  return tf.tensor2d(data, [rows.length, size]);
}
