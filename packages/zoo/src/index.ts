export {
  BowClassifier,
  type BowClassifierConfig,
  type BowClassifierConfigInput,
  bowClassifierConfigSchema,
  denseBatch,
} from './bow/bow-classifier';
export {
  type BowFeaturesConfig,
  type BowFeaturesJSON,
  BowFeaturizer,
  bowFeaturesSchema,
  ngrams,
  type SparseVector,
} from './bow/featurizer';
export { checkPositiveInt, ZooConfigError, ZooFormatError } from './errors';
export { batchify, bpttWindows } from './lm/bptt';
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
export { type CellType, cellSchema, makeRecurrent, type RecurrentSpec } from './nn/recurrent';
export { zooPlugin } from './plugin';
export {
  RnnClassifier,
  type RnnClassifierConfig,
  type RnnClassifierConfigInput,
  type RnnClassifierVocabularies,
  rnnClassifierConfigSchema,
} from './rnn/rnn-classifier';
export { checkSampling, type SamplingOptions, sampleIndex } from './sampling';
export { encodeLabels, type LabeledTexts, readLabeledCsv, type TextBatch } from './text/labels';
export {
  buildTextVocab,
  makeTokenizer,
  type TextInputConfig,
  type TextVocabJSON,
  textInputSchema,
  textVocabFromJSON,
} from './text/text-vocab';
export { detokenize, type TokenizeOptions, type TokenUnit, tokenize } from './text/tokens';
export {
  shuffledIndices,
  step,
  type TrainHistory,
  type TrainOptions,
  trainOnIndices,
} from './training/train-loop';
