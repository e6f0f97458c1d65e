import { classifierTask } from '../task/classifier-task';
import { encodeLabels } from '../text/labels';
import { buildTextVocab } from '../text/text-vocab';
import { type RnnClassifier, rnnClassifierConfigSchema } from './rnn-classifier';

/**
 * `zoo:rnn-classifier`'s task: labelled texts; the vocabulary and label set built from the
 * training examples; Adam 5e-3, clipping 5, batches of 32, 5 epochs, 10 % held out for
 * validation (the best epoch on accuracy is kept).
 */
export const rnnClassifierTask = classifierTask<RnnClassifier>({
  training: {
    optimizer: 'adam',
    learningRate: 5e-3,
    batchSize: 32,
    clipGradNorm: 5,
    epochs: 5,
    validationSplit: 0.1,
  },
  vocabularies(train, config) {
    const c = rnnClassifierConfigSchema.parse(config ?? {});
    const { tokenizer, vocab } = buildTextVocab(
      train.map((e) => e.text),
      c.text,
    );
    return {
      text: { tokenizer: tokenizer.toJSON(), vocab: vocab.toJSON() },
      labels: encodeLabels(train.map((e) => e.label)).names,
    };
  },
});
