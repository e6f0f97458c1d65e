import { Rng } from '@seqzoo/data';
import type { Module } from '@seqzoo/layers';
import type { LabelledText, Prediction, Task, TrainingDefaults } from '@seqzoo/registry';
import type { ClassificationReport } from '@seqzoo/train';
import type * as tf from '@tensorflow/tfjs-core';
import { checkPositiveInt } from '../errors';
import { checkLabels, type TextBatch } from '../text/labels';

/** What the classifier task needs of a model (`RnnClassifier`, `BowClassifier`). */
export interface TextClassifierModel extends Module {
  readonly isFitted: boolean;
  readonly labels: readonly string[];
  /** Builds the vocabulary (or features) and the label set unless the model has them. */
  prepare(texts: readonly string[], labels: readonly string[]): unknown;
  /** Mean cross-entropy of a batch of texts and labels. */
  loss(batch: TextBatch): tf.Scalar;
  /** Class probabilities `[texts, labels]`. */
  predictProba(texts: readonly string[]): tf.Tensor2D;
  /** Accuracy, per-class F1 and the confusion matrix. */
  evaluate(texts: readonly string[], labels: readonly string[]): ClassificationReport;
}

/** The answer of a classifier: the label and every label's probability. */
export interface ClassifierOutput {
  label: string;
  probabilities: Record<string, number>;
}

/** Examples in `order`, cut into `batchSize` batches of texts and labels. */
export function textBatches(
  examples: readonly LabelledText[],
  order: readonly number[],
  batchSize: number,
): TextBatch[] {
  const out: TextBatch[] = [];
  for (let b = 0; b < order.length; b += batchSize) {
    const idx = order.slice(b, b + batchSize);
    out.push({
      texts: idx.map((i) => examples[i].text),
      labels: idx.map((i) => examples[i].label),
    });
  }
  return out;
}

/** Runs `f` with the model in eval mode (no dropout), then puts the mode back. */
export function inEvalMode<T>(model: Module, f: () => T): T {
  const was = model.training;
  model.eval();
  try {
    return f();
  } finally {
    model.train(was);
  }
}

/**
 * The task of `zoo:rnn-classifier` and `zoo:bow-classifier`: labelled texts; the vocabulary (or
 * features) and the sorted label set come from the training examples (`vocabularies`, or
 * `prepare` for a model built without them); batches of texts and labels, shuffled by the
 * epoch's seed; softmax/sigmoid cross-entropy; accuracy and macro F1, picked by accuracy;
 * `predict` gives the label and the probability of each label.
 */
export function classifierTask<M extends TextClassifierModel>(spec: {
  training: TrainingDefaults;
  vocabularies(train: readonly LabelledText[], config: unknown): Record<string, unknown>;
}): Task<M, LabelledText, TextBatch> {
  return {
    examples: 'labelled-text',
    vocabularies: (train, config) => {
      checkLabels(train.map((e) => e.label));
      return spec.vocabularies(train, config);
    },
    prepare(model, train) {
      if (model.isFitted) return;
      const labels = train.map((e) => e.label);
      checkLabels(labels);
      model.prepare(
        train.map((e) => e.text),
        labels,
      );
    },
    batches(_model, examples, options) {
      const batchSize = checkPositiveInt('batchSize', options.batchSize);
      const order = examples.map((_, i) => i);
      if (options.training) new Rng(options.seed).shuffle(order);
      return textBatches(examples, order, batchSize);
    },
    loss: (model, batch) => model.loss(batch),
    size: (batch) => batch.texts.length,
    // Data-parallel workers: consecutive parts of about equal length (the loss is a mean over texts).
    split(batch, parts) {
      const n = Math.min(parts, batch.texts.length);
      return Array.from({ length: n }, (_, i) => {
        const from = Math.floor((i * batch.texts.length) / n);
        const to = Math.floor(((i + 1) * batch.texts.length) / n);
        return { texts: batch.texts.slice(from, to), labels: batch.labels.slice(from, to) };
      });
    },
    async evaluate(model, examples) {
      const r = inEvalMode(model, () =>
        model.evaluate(
          examples.map((e) => e.text),
          examples.map((e) => e.label),
        ),
      );
      return { accuracy: r.accuracy, macroF1: r.macroF1 };
    },
    metric: { name: 'accuracy', mode: 'max' },
    async predict(model, inputs): Promise<Prediction[]> {
      if (inputs.length === 0) return [];
      const probs = inEvalMode(model, () => model.predictProba(inputs));
      const rows = (await probs.array()) as number[][];
      probs.dispose();
      const labels = model.labels;
      return rows.map((p, i) => {
        let best = 0;
        for (let k = 1; k < p.length; k++) if (p[k] > p[best]) best = k;
        const output: ClassifierOutput = {
          label: labels[best],
          probabilities: Object.fromEntries(labels.map((l, k) => [l, p[k]])),
        };
        return { input: inputs[i], text: labels[best], output };
      });
    },
    predictOptions: [],
    training: spec.training,
  };
}
