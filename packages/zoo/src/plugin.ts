import { definePlugin } from '@seqzoo/registry';
import { bowClassifierModel } from './bow/definition';
import { charLmModel, wordLmModel } from './lm/definition';
import { markovModel } from './markov/definition';
import { mlpModel } from './mlp/definition';
import { rnnClassifierModel } from './rnn/definition';

/** The `zoo` plugin: `createRegistry({ plugins: [zooPlugin] })` resolves `zoo:<model>`. */
export const zooPlugin = definePlugin({
  namespace: 'zoo',
  version: '0.1.0',
  module: import.meta.url,
  models: {
    markov: markovModel,
    mlp: mlpModel,
    'bow-classifier': bowClassifierModel,
    'rnn-classifier': rnnClassifierModel,
    'char-lm': charLmModel,
    'word-lm': wordLmModel,
  },
});
