import { defineModel } from '@seqzoo/registry';
import { BowClassifier, bowClassifierConfigSchema } from './bow-classifier';
import type { BowFeaturesJSON } from './featurizer';
import { bowClassifierTask } from './task';

export const bowClassifierModel = defineModel({
  description:
    'Bag-of-words / TF-IDF (word unigrams and bigrams, vocabulary limits) → logistic regression or an MLP; trained from texts with labels (any CSV with text and label columns).',
  configSchema: bowClassifierConfigSchema,
  create: (config, context) =>
    new BowClassifier(
      config,
      context.vocabularies as { bow?: BowFeaturesJSON; labels?: string[] } | undefined,
    ),
  vocabularies: (model: BowClassifier) => model.vocabularies(),
  task: bowClassifierTask,
  configOf: (model) => (model instanceof BowClassifier ? model.config : undefined),
});
