import type { BackendInfo, BackendName } from '@seqzoo/backend';
import {
  createRegistry,
  loadModel,
  MODEL_JSON,
  type ModelStorage,
  resolveStorage,
} from '@seqzoo/registry';
import { type BowClassifier, zooPlugin } from '@seqzoo/zoo';
import { SpamInputError, SpamModelError } from './errors';
import { messageBody } from './message';
import { packagedModelFiles, urlStorage } from './model-files';

/** The package-level format of the model folder this version reads (model.json `training.package.format`). */
export const SPAM_FORMAT = 1;

/** What `loadSpamFilter` takes: where the model is and which backend runs it. */
export interface LoadSpamFilterOptions {
  /**
   * Where the model is: a folder, a URL (`https://…/spam-en/`, `file://…`) or a registry
   * `ModelStorage`. Default: the model shipped in this package.
   */
  model?: string | ModelStorage;
  /**
   * The tfjs backend to run on. Default: the one the app set (`tf.setBackend` or `useBackend`),
   * never switched; when none is set, `useBackend('auto')` picks one.
   */
  backend?: BackendName;
}

/** What `filter.classify` takes beside the messages. */
export interface ClassifyOptions {
  /**
   * Call a message spam when its spam probability is at least this (default 0.5). Raise it to
   * flag fewer legitimate messages (fewer false positives, more spam let through).
   */
  threshold?: number;
}

/** The verdict on one message. */
export interface Classification {
  /** 'spam' when `spamProbability` ≥ the threshold, else 'ham' (a legitimate message). */
  label: 'spam' | 'ham';
  /** The model's probability that the message is spam, in [0, 1]. */
  spamProbability: number;
}

/** What a loaded filter runs on and what it is (`filter.info`). */
export interface SpamFilterInfo {
  /** The backend the model runs on, and why (`reason`: set by the app, or picked by auto). */
  backend: BackendInfo;
  /** The model: its registry id, size, features and the training record of model.json. */
  model: {
    id: string;
    parameters: number;
    /** Terms (word unigrams and bigrams) the features count. */
    features: number;
    /** What model.json records: the training run, the data, the metrics. */
    training: Record<string, unknown>;
  };
}

/** An English spam filter: TF-IDF word and bigram features, then logistic regression. */
export class SpamFilter {
  private readonly spamColumn: number;

  constructor(
    readonly model: BowClassifier,
    readonly info: SpamFilterInfo,
  ) {
    this.spamColumn = model.labels.indexOf('spam');
  }

  /**
   * Spam or ham, with the spam probability. Give the message text (a raw email with its headers
   * works too: they are dropped, as in training); an array is classified in one batch (faster).
   */
  classify(message: string, options?: ClassifyOptions): Classification;
  classify(messages: readonly string[], options?: ClassifyOptions): Classification[];
  classify(
    input: string | readonly string[],
    options: ClassifyOptions = {},
  ): Classification | Classification[] {
    const threshold = options.threshold ?? 0.5;
    if (typeof threshold !== 'number' || !(threshold >= 0 && threshold <= 1)) {
      throw new SpamInputError(`threshold must be a number in [0, 1], got ${String(threshold)}.`);
    }
    const many = Array.isArray(input);
    const texts: readonly unknown[] = many ? input : [input];
    texts.forEach((t, i) => {
      if (typeof t !== 'string') {
        throw new SpamInputError(
          `${many ? `message ${i}` : 'the message'} is ${t === null ? 'null' : typeof t}: give a string (the message text, or a raw email).`,
        );
      }
    });
    const results: Classification[] = [];
    for (let b = 0; b < texts.length; b += 256) {
      const batch = (texts.slice(b, b + 256) as string[]).map(messageBody);
      const probabilities = this.model.predictProba(batch);
      const values = probabilities.dataSync();
      const classes = probabilities.shape[1];
      probabilities.dispose();
      for (let i = 0; i < batch.length; i++) {
        const p = values[i * classes + this.spamColumn];
        results.push({ label: p >= threshold ? 'spam' : 'ham', spamProbability: p });
      }
    }
    return many ? results : results[0];
  }

  /** Frees the model's tensors; the object cannot be used afterwards. */
  dispose(): void {
    this.model.dispose();
  }
}

function locationOf(model: string | ModelStorage | undefined): ModelStorage {
  if (model === undefined) return urlStorage(packagedModelFiles(), '@seqzoo/spam-en/model');
  return resolveStorage(model);
}

/**
 * Loads the spam filter (the model shipped in this package unless `model` says otherwise), in
 * Node or a browser, offline. The model runs on the app's backend (see `backend`).
 */
export async function loadSpamFilter(options: LoadSpamFilterOptions = {}): Promise<SpamFilter> {
  const storage = locationOf(options.model);
  const head = await storage.read(MODEL_JSON);
  if (head === null) {
    throw new SpamModelError('NOT_A_SPAM_MODEL', `${storage.location}: no model.json.`);
  }
  let json: { training?: { package?: { format?: unknown } } };
  try {
    json = JSON.parse(new TextDecoder().decode(head));
  } catch {
    json = {}; // loadModel reports the bad JSON with its typed error
  }
  const format = json.training?.package?.format;
  if (typeof format === 'number' && format > SPAM_FORMAT) {
    throw new SpamModelError(
      'NEWER_FORMAT',
      `${storage.location}: the model was packed for @seqzoo/spam-en format ${format}; this version reads format ${SPAM_FORMAT}. Upgrade @seqzoo/spam-en.`,
    );
  }
  const registry = createRegistry({ plugins: [zooPlugin] });
  // loadModel reads model.json again (checks its format version and the weights' checksum).
  const loaded = await loadModel<BowClassifier>(registry, storage, { backend: options.backend });
  const model = loaded.model;
  if (loaded.id !== 'zoo:bow-classifier' || !model.labels.includes('spam')) {
    model.dispose();
    throw new SpamModelError(
      'NOT_A_SPAM_MODEL',
      `${storage.location}: a '${loaded.id}' model${loaded.id === 'zoo:bow-classifier' ? ` with labels ${JSON.stringify(model.labels)}` : ''}, not a zoo:bow-classifier with a 'spam' label.`,
    );
  }
  model.eval();
  return new SpamFilter(model, {
    backend: registry.recordOf(model)!.backend,
    model: {
      id: loaded.id,
      parameters: model.numParameters(),
      features: model.features.size,
      training: loaded.training,
    },
  });
}
