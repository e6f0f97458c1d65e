import { defineModel } from '@seqzoo/registry';
import type { MarkovJSON } from './markov';
import { MarkovLM, markovConfigSchema } from './markov-lm';

export const markovModel = defineModel({
  description:
    'n-gram language model over characters or words (order k), add-k or interpolated Kneser–Ney smoothing; perplexity, sampling, next-token prediction.',
  configSchema: markovConfigSchema,
  create: (config, context) =>
    new MarkovLM(config, context.vocabularies?.markov as MarkovJSON | undefined),
  vocabularies: (model: MarkovLM) => (model.isFitted ? { markov: model.toJSON() } : {}),
  configOf: (model) => (model instanceof MarkovLM ? model.config : undefined),
});
