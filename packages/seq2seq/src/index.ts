export { valueAndGrads } from '@seqzoo/layers';
export {
  ATTENTION_TYPES,
  Attention,
  type AttentionMemory,
  type AttentionOptions,
  type AttentionOutput,
  type AttentionType,
  tileMemory,
} from './attention';
export { Decoder, type DecoderOptions, type DecoderState, type DecoderStep } from './decoder';
export {
  Bridge,
  Encoder,
  type EncoderOptions,
  type EncoderOutput,
} from './encoder';
export { Seq2SeqConfigError, Seq2SeqInputError } from './errors';
export {
  isLegacyWeights,
  legacyWeightName,
  migrateLegacyWeights,
  seq2seqLegacyWeights,
} from './legacy-weights';
export { type CrossEntropyOptions, maskedCrossEntropy } from './loss';
export { type Lengths, lengthMask } from './mask';
export {
  disposeTensors,
  type Encoded,
  type LossOptions,
  padRows,
  type ResolvedConfig,
  resolveConfig,
  Seq2Seq,
  type Seq2SeqConfig,
  type Seq2SeqTensors,
} from './model';
export {
  type AttentionConfig,
  attentionConfigSchema,
  attentionModel,
  Seq2SeqModel,
  type Seq2SeqVocabularies,
  seq2seqPlugin,
} from './plugin';
export { CELL_TYPES, type CellState, type CellType } from './recurrent';
export {
  type BeamOptions,
  beamSearch,
  type DecodeOptions,
  greedyDecode,
  type Hypothesis,
  lengthPenalty,
} from './search';
export {
  type TranslateOptions,
  type Translation,
  Translator,
  type TranslatorJSON,
  type TranslatorOptions,
} from './translator';
