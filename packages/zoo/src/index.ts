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
export { checkSampling, type SamplingOptions, sampleIndex } from './sampling';
export { detokenize, type TokenizeOptions, type TokenUnit, tokenize } from './text/tokens';
