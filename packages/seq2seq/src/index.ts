export {
  ATTENTION_TYPES,
  Attention,
  type AttentionMemory,
  type AttentionOptions,
  type AttentionOutput,
  type AttentionType,
  tileMemory,
} from './attention';
export { Seq2SeqConfigError, Seq2SeqInputError } from './errors';
export { type CrossEntropyOptions, maskedCrossEntropy } from './loss';
export { type Lengths, lengthMask } from './mask';
