export {
  BowClassifier,
  type BowClassifierConfig,
  type BowClassifierConfigInput,
  bowClassifierConfigSchema,
} from './bow/bow-classifier';
export {
  type BowFeaturesConfig,
  type BowFeaturesJSON,
  BowFeaturizer,
  bowFeaturesSchema,
  ngrams,
  type SparseVector,
} from './bow/featurizer';
export { bowClassifierTask } from './bow/task';
export { ZooConfigError, ZooFormatError } from './errors';
export { MAX_LAYERS, MAX_LENGTH, MAX_VOCAB, MAX_WIDTH } from './limits';
export {
  charLmConfigSchema,
  type GenerateOptions,
  type LmConfig,
  type LmConfigInput,
  type LmTrainOptions,
  type LmWindowBatch,
  RecurrentLM,
  sequenceNll,
  tokenNll,
  wordLmConfigSchema,
} from './lm/recurrent-lm';
export { charLmTask, wordLmTask } from './lm/task';
export {
  BOS as MARKOV_BOS,
  EOS as MARKOV_EOS,
  type MarkovConfig,
  type MarkovJSON,
  MarkovModel,
  type MarkovSmoothing,
  type ResolvedMarkovConfig,
  resolveMarkovConfig,
  UNK as MARKOV_UNK,
} from './markov/markov';
export { MarkovLM, type MarkovLMConfig, markovConfigSchema } from './markov/markov-lm';
export type { ClassificationReport, PerplexityResult } from './metrics';
export {
  classifierLoss,
  Mlp,
  type MlpBatch,
  type ZooMlpConfig,
  type ZooMlpConfigInput,
  zooMlpConfigSchema,
} from './mlp/mlp';
export { cellSchema, makeRecurrent, type RecurrentSpec, type ZooCellType } from './nn/recurrent';
export { zooPlugin } from './plugin';
export {
  RnnClassifier,
  type RnnClassifierConfig,
  type RnnClassifierConfigInput,
  type RnnClassifierVocabularies,
  rnnClassifierConfigSchema,
} from './rnn/rnn-classifier';
export { rnnClassifierTask } from './rnn/task';
export { checkSampling, type SamplingOptions, sampleIndex } from './sampling';
export {
  type ClassifierOutput,
  classifierTask,
  type TextClassifierModel,
} from './task/classifier-task';
export type { TrainHistory, ZooFitOptions } from './task/fit-with-task';
export { encodeLabels, type LabeledTexts, readLabeledCsv, type TextBatch } from './text/labels';
export {
  buildTextVocab,
  makeTokenizer,
  type TextInputConfig,
  type TextVocabInput,
  type TextVocabJSON,
  textInputSchema,
  textVocabFromJSON,
} from './text/text-vocab';
export { detokenize, type TokenizeOptions, type TokenUnit, tokenize } from './text/tokens';
