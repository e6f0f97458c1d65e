import type * as tf from '@tensorflow/tfjs-core';
import type { SavableModule } from './module';

/**
 * The model contract's second half (the first is config + `create`): what a model learns from,
 * how it is trained and evaluated, and how it answers. `@seqzoo/train`'s `fitTask` and the
 * `seqzoo` CLI work from this alone, so a third-party plugin trains, evaluates and serves like
 * ours. Written like vercel/ai's provider interface: a few required functions, the rest optional.
 */

/** A text with its class (`--data file.csv` with text and label columns). */
export interface LabelledText {
  readonly text: string;
  readonly label: string;
}
/** A source and its target (`--data pairs.csv` with source and target columns). */
export interface TextPair {
  readonly source: string;
  readonly target: string;
}
/** A plain text (`--data file.txt`, one text per line). */
export interface PlainText {
  readonly text: string;
}

/** The example shapes that seqzoo can read from files; `custom` tasks read their own. */
export interface ExampleShapes {
  'labelled-text': LabelledText;
  'text-pairs': TextPair;
  text: PlainText;
}
/** The example kinds the CLI can read from files: `labelled-text`, `text-pairs`, `text`. */
export type ExampleKind = keyof ExampleShapes;

/** Train / validation / test examples; validation and test are optional. */
export interface Splits<E> {
  readonly train: readonly E[];
  readonly validation?: readonly E[];
  readonly test?: readonly E[];
}

/** A dataset a plugin names (`--dataset cmudict`): built in or generated, never downloaded. */
export interface DatasetSource<E> {
  readonly description: string;
  /**
   * Model config fields this dataset is meant with (G2P: larger hidden size, word-level
   * targets); the user's config overrides them. Optional.
   */
  readonly config?: Readonly<Record<string, unknown>>;
  /** Builds (or generates) the splits: `size` examples at most, shuffled by `seed`. */
  load(options: { size?: number; seed: number }): Promise<Splits<E>>;
}

/** Training defaults a model declares; the user's options override each field. */
export interface TrainingDefaults {
  readonly optimizer?: 'adam' | 'adamw' | 'sgd' | 'rmsprop' | 'adagrad';
  readonly learningRate: number;
  readonly batchSize: number;
  /** Global gradient-norm clipping. */
  readonly clipGradNorm?: number;
  /** For losses that take it (cross-entropy): PyTorch's `label_smoothing`. */
  readonly labelSmoothing?: number;
  readonly weightDecay?: number;
  /** Fraction of the training examples held out for validation when no validation split is given. */
  readonly validationSplit?: number;
  /** Epochs when neither epochs nor a time budget is given. */
  readonly epochs?: number;
  /** Learning rate falls linearly to learningRate · this over the run (1 or absent: constant). */
  readonly finalLearningRateFactor?: number;
  /**
   * Validate, keep and save the exponential moving average of the parameters with this decay
   * (0.999, say) instead of the last parameters (absent or 0: none).
   */
  readonly averageDecay?: number;
}

/** The metric that picks the best model on validation (restore-best, early stopping). */
export interface SelectionMetric {
  readonly name: string;
  readonly mode: 'max' | 'min';
}

/** What `Task.batches` gets beside the model and the examples. */
export interface BatchOptions {
  readonly batchSize: number;
  /** Training batches (shuffled by `seed`, with the model's training-time extras) or not. */
  readonly training: boolean;
  /** Seeds the order of this epoch's batches (the trainer derives one per epoch). */
  readonly seed: number;
}

/** What `Task.loss` gets beside the model and the batch. */
export interface LossContext {
  readonly training: boolean;
  readonly labelSmoothing?: number;
}

/** What predict/generate may be asked for; a task lists the ones it honours in `predictOptions`. */
export interface PredictOptions {
  /** Beam width (1: greedy). */
  readonly beam?: number;
  /** Return the n best candidates. */
  readonly nBest?: number;
  readonly maxLength?: number;
  /** Sampling temperature for generation (0: argmax). */
  readonly temperature?: number;
  readonly topK?: number;
  readonly seed?: number;
  /** Return attention weights where the model has them. */
  readonly attention?: boolean;
}
/** The name of a prediction option (`beam`, `temperature`…), as `Task.predictOptions` lists them. */
export type PredictOptionName = keyof PredictOptions;

/** How `Task.evaluate` decodes, where the task decodes. */
export interface TaskEvaluateOptions {
  /** Beam width (1 or absent: greedy). */
  readonly beam?: number;
}

/** One answer: `text` for people, `output` (JSON-serialisable) for programs. */
export interface Prediction {
  readonly input: string;
  readonly text: string;
  readonly output: unknown;
  /** The answer's score where the model ranks answers (a log-probability, say). Optional. */
  readonly score?: number;
  /** The next-best answers, best first (an n-best list after `text`). Optional. */
  readonly alternatives?: readonly { readonly text: string; readonly score?: number }[];
}

/**
 * A model's task (`ModelDefinition.task`): what it learns from, how a batch is built, its loss,
 * metrics, predictions and training defaults — all that `@seqzoo/train`'s `fitTask` and the CLI
 * need to train, evaluate and serve a model without knowing its id.
 */
export interface Task<M extends SavableModule = SavableModule, E = unknown, B = unknown> {
  /** What it learns from; `custom` tasks parse files themselves with `readExamples`. */
  readonly examples: ExampleKind | 'custom';
  /** For `custom`: turn a data file's text into examples (throw a clear error on a bad line). */
  readExamples?(text: string, source: string): E[];
  /** Datasets that `--dataset <name>` picks. */
  readonly datasets?: Readonly<Record<string, DatasetSource<E>>>;
  /** Before `create`: vocabularies built from the training examples (saved with the model). */
  vocabularies?(train: readonly E[], config: unknown): Record<string, unknown>;
  /** After `create`, before the first step: data-dependent setup (label set, featurizer). */
  prepare?(model: M, train: readonly E[]): void;
  /**
   * One epoch's batches. Training batches are shuffled with `seed`; evaluation batches come in
   * order. Plain JS values or tensors (tensors are disposed by the trainer after each step).
   */
  batches(model: M, examples: readonly E[], options: BatchOptions): Iterable<B>;
  /** The mean loss of a batch (the trainer takes its gradient). */
  loss(model: M, batch: B, context: LossContext): tf.Scalar;
  /** Tokens (or examples) in a batch, for throughput and for weighting across workers. */
  size?(batch: B): number;
  /**
   * Data-parallel training (`fitTask(…, { workers })`): cut a training batch into `parts`
   * non-empty batches (fewer when it is too small) that together hold its examples, as plain
   * structured-clonable values (no tensors: they are posted to worker threads). Each part's
   * loss gradient is weighted by its `size` (else equally), so that with a mean loss the step
   * equals the whole batch's. Without it, the model trains on one thread.
   */
  split?(batch: B, parts: number): B[];
  /**
   * Metrics on held-out examples; must include `metric.name`. `options.beam` asks a task that
   * decodes (and lists `beam` in `predictOptions`) to decode with that beam width (`seqzoo eval
   * --beam`); validation during training leaves it out (greedy).
   */
  evaluate(
    model: M,
    examples: readonly E[],
    options?: TaskEvaluateOptions,
  ): Promise<Record<string, number>>;
  readonly metric: SelectionMetric;
  /** Inputs are the strings a user types (texts, sources, prompts). */
  predict(model: M, inputs: readonly string[], options: PredictOptions): Promise<Prediction[]>;
  /** The predict options this task honours; the CLI rejects the others. */
  readonly predictOptions?: readonly PredictOptionName[];
  readonly training: TrainingDefaults;
}
