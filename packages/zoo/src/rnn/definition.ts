import { defineModel } from '@seqzoo/registry';
import {
  RnnClassifier,
  type RnnClassifierVocabularies,
  rnnClassifierConfigSchema,
} from './rnn-classifier';
import { rnnClassifierTask } from './task';

export const rnnClassifierModel = defineModel({
  description:
    'Embedding → stacked (optionally bidirectional) LSTM/GRU/RNN → pooling (last state, masked mean, masked max) → dense → softmax/sigmoid; accuracy, per-class F1 and a confusion matrix.',
  configSchema: rnnClassifierConfigSchema,
  create: (config, context) =>
    new RnnClassifier(config, context.vocabularies as RnnClassifierVocabularies | undefined),
  vocabularies: (model: RnnClassifier) => ({ ...model.vocabularies() }),
  task: rnnClassifierTask,
  // A model built with `new RnnClassifier(…)` saves like one the registry built.
  configOf: (model) => (model instanceof RnnClassifier ? model.config : undefined),
});
