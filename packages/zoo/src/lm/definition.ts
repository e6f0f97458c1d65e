import { defineModel } from '@seqzoo/registry';
import type { TextVocabJSON } from '../text/text-vocab';
import { charLmConfigSchema, RecurrentLM, wordLmConfigSchema } from './recurrent-lm';
import { charLmTask, wordLmTask } from './task';

type Saved = { text?: TextVocabJSON } | undefined;

export const charLmModel = defineModel({
  description:
    'Character language model: embedding → stacked RNN/GRU/LSTM → softmax; truncated BPTT, optional tied embeddings; perplexity, bits per char; generation with temperature, top-k, top-p.',
  configSchema: charLmConfigSchema,
  create: (config, context) => new RecurrentLM(config, context.vocabularies as Saved, 'char'),
  vocabularies: (model: RecurrentLM) => ({ ...model.vocabularies() }),
  task: charLmTask,
  configOf: (model) =>
    model instanceof RecurrentLM && model.kind === 'char' ? model.config : undefined,
});

export const wordLmModel = defineModel({
  description:
    'Word language model: embedding → stacked RNN/GRU/LSTM → softmax; truncated BPTT, optional tied embeddings; perplexity; generation with temperature, top-k, top-p.',
  configSchema: wordLmConfigSchema,
  create: (config, context) => new RecurrentLM(config, context.vocabularies as Saved, 'word'),
  vocabularies: (model: RecurrentLM) => ({ ...model.vocabularies() }),
  task: wordLmTask,
  configOf: (model) =>
    model instanceof RecurrentLM && model.kind === 'word' ? model.config : undefined,
});
