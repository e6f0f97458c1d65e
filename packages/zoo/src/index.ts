export { checkPositiveInt, ZooConfigError, ZooFormatError } from './errors';
export {
  BOS,
  EOS,
  type MarkovConfig,
  type MarkovJSON,
  MarkovModel,
  type MarkovSmoothing,
  type PerplexityResult,
  resolveMarkovConfig,
  UNK,
} from './markov/markov';
export { MarkovLM, type MarkovLMConfig, markovConfigSchema } from './markov/markov-lm';
export { type ClassificationReport, type ClassScores, classificationReport } from './metrics';
export {
  classifierLoss,
  Mlp,
  type MlpConfig,
  type MlpConfigInput,
  mlpConfigSchema,
} from './mlp/mlp';
export { zooPlugin } from './plugin';
export { checkSampling, type SamplingOptions, sampleIndex } from './sampling';
export { detokenize, type TokenizeOptions, type TokenUnit, tokenize } from './text/tokens';
export {
  shuffledIndices,
  step,
  type TrainHistory,
  type TrainOptions,
  trainOnIndices,
} from './training/train-loop';
