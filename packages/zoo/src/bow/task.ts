import { classifierTask } from '../task/classifier-task';
import { encodeLabels } from '../text/labels';
import { type BowClassifier, bowClassifierConfigSchema } from './bow-classifier';
import { BowFeaturizer } from './featurizer';

/**
 * `zoo:bow-classifier`'s task: labelled texts; the features (TF-IDF terms) and label set from the
 * training examples; Adam 0.05, clipping 5, batches of 32, 5 epochs, 10 % held out for
 * validation (the best epoch on accuracy is kept).
 */
export const bowClassifierTask = classifierTask<BowClassifier>({
  training: {
    optimizer: 'adam',
    learningRate: 0.05,
    batchSize: 32,
    clipGradNorm: 5,
    epochs: 5,
    validationSplit: 0.1,
  },
  vocabularies(train, config) {
    const c = bowClassifierConfigSchema.parse(config ?? {});
    return {
      bow: BowFeaturizer.fit(
        train.map((e) => e.text),
        c.features,
      ).toJSON(),
      labels: encodeLabels(train.map((e) => e.label)).names,
    };
  },
});
