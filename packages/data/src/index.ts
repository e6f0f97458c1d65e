export {
  type BucketOptions,
  Dataset,
  DatasetIterator,
  type DatasetState,
  type OpenContext,
  type ShuffleOptions,
  type SplitOptions,
} from './dataset';
export {
  type ClassificationOptions,
  csvClassification,
  type LabeledText,
} from './datasets/classification';
export {
  type CmudictEntry,
  type CmudictOptions,
  type CmudictSplit,
  cmudict,
  cmudictSplitOf,
  loadCmudict,
} from './datasets/cmudict';
export { type CalendarDate, DATE_FORMATS, formatDate, isoDate } from './datasets/dates';
export { type NameEntry, names } from './datasets/names';
export { numberToWords } from './datasets/number-words';
export {
  additionTask,
  copyTask,
  type DateTaskOptions,
  dateTask,
  numberWordsTask,
  reverseTask,
  type Seq2SeqPair,
  type SequenceTaskOptions,
  sortTask,
  type TaskOptions,
} from './datasets/synthetic';
export { type LmWindow, type TextCorpusOptions, textCorpus } from './datasets/text-corpus';
export { DataArgumentError, DatasetStateError, ReaderError, type ReaderErrorKind } from './errors';
export {
  type Padded,
  type PaddedBatch,
  type PaddedBatchOptions,
  type PadOptions,
  paddedRows,
  padItems,
  padSequences,
  type Sequence,
} from './padding';
export { hashString, mixSeed, Rng, type RngState } from './random';
export { type CsvOptions, type CsvRow, readCsv, readTsv } from './read-csv';
export { readJsonl } from './read-jsonl';
export { type LinesOptions, readLines } from './read-lines';
export { Reader, type ReaderOptions, type ReaderStats } from './reader';
export { type ByteSource, byteChunks, type SourceLike } from './sources';
export { type BatchTensors, type TensorsOf, toTensors } from './tensors';
export {
  charTokenizer,
  pretokenized,
  type Tokenizer,
  type TokenizerJSON,
  tokenizerFromJSON,
  type WordTokenizerOptions,
  wordTokenizer,
} from './tokenizers';
export {
  BOS,
  type BuildOptions,
  type EncodeOptions,
  EOS,
  type ExternalVocabJSON,
  PAD,
  SPECIALS,
  STANDARD_SPECIALS,
  UNK,
  Vocab,
  type VocabJSON,
  type VocabSpecials,
} from './vocab';
