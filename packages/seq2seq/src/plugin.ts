import {
  type Tokenizer,
  type TokenizerJSON,
  tokenizerFromJSON,
  Vocab,
  type VocabJSON,
} from '@seqzoo/data';
import { type CreateContext, defineModel, definePlugin } from '@seqzoo/registry';
import { z } from 'zod';
import { attentionBench } from './bench';
import { Seq2SeqInputError } from './errors';
import { seq2seqLegacyWeights } from './legacy-weights';
import { Seq2Seq } from './model';
import { seq2seqTask } from './task';
import { Translator } from './translator';

/** The config of `seq2seq:attention` (vocabulary sizes come from the vocabularies). */
export const attentionConfigSchema = z.object({
  cell: z.enum(['lstm', 'gru']).default('lstm'),
  embeddingSize: z.number().int().positive().default(64),
  hiddenSize: z.number().int().positive().default(128),
  numLayers: z.number().int().positive().default(1),
  bidirectional: z.boolean().default(true),
  attention: z.enum(['bahdanau', 'dot', 'general', 'concat', 'none']).default('general'),
  attentionUnits: z.number().int().positive().optional(),
  inputFeeding: z.boolean().default(true),
  dropout: z.number().min(0).lt(1).default(0.1),
  seed: z.number().int().default(0),
  /** How the task's vocabularies split source texts: characters, or space-separated words. */
  sourceTokens: z.enum(['chars', 'words']).default('chars'),
  /** How the task's vocabularies split target texts (G2P: 'words', the phonemes). */
  targetTokens: z.enum(['chars', 'words']).default('chars'),
});

/** The validated config of a `seq2seq:attention` model. */
export type AttentionConfig = z.output<typeof attentionConfigSchema>;

/** The vocabularies a `seq2seq:attention` model is created with and saved with. */
export interface Seq2SeqVocabularies {
  source: VocabJSON;
  target: VocabJSON;
  /** Default: characters. */
  sourceTokenizer?: TokenizerJSON;
  targetTokenizer?: TokenizerJSON;
}

/**
 * The registry's model: a `Seq2Seq` that carries its vocabularies and tokenizers, with a
 * `translator` for text in, text out.
 */
export class Seq2SeqModel extends Seq2Seq {
  readonly translator: Translator;
  readonly sourceVocab: Vocab;
  readonly targetVocab: Vocab;

  constructor(
    readonly modelConfig: AttentionConfig,
    vocabularies: Seq2SeqVocabularies,
  ) {
    const sourceVocab = Vocab.fromJSON(vocabularies.source);
    const targetVocab = Vocab.fromJSON(vocabularies.target);
    super({
      ...modelConfig,
      attention: modelConfig.attention as Seq2SeqModel['config']['attention'],
      sourceVocabSize: sourceVocab.size,
      targetVocabSize: targetVocab.size,
      padId: targetVocab.padId,
      bosId: targetVocab.bosId,
      eosId: targetVocab.eosId,
    });
    this.sourceVocab = sourceVocab;
    this.targetVocab = targetVocab;
    const tokenizer = (json?: TokenizerJSON): Tokenizer | undefined =>
      json ? tokenizerFromJSON(json) : undefined;
    this.translator = new Translator(this, sourceVocab, targetVocab, {
      sourceTokenizer: tokenizer(vocabularies.sourceTokenizer),
      targetTokenizer: tokenizer(vocabularies.targetTokenizer),
    });
  }

  /** What the registry stores in model.json. */
  vocabularies(): Seq2SeqVocabularies {
    return {
      source: this.sourceVocab.toJSON(),
      target: this.targetVocab.toJSON(),
      sourceTokenizer: this.translator.sourceTokenizer.toJSON(),
      targetTokenizer: this.translator.targetTokenizer.toJSON(),
    };
  }
}

function vocabulariesOf(context: CreateContext): Seq2SeqVocabularies {
  const v = context.vocabularies as Partial<Seq2SeqVocabularies> | undefined;
  if (!v?.source || !v?.target) {
    throw new Seq2SeqInputError(
      'seq2seq:attention needs vocabularies { source, target } (Vocab.toJSON()), and optionally { sourceTokenizer, targetTokenizer } (tokenizer.toJSON()): pass them to registry.create(id, config, { vocabularies }).',
    );
  }
  return v as Seq2SeqVocabularies;
}

/** `seq2seq:attention`: the encoder–decoder with a choice of cell, sizes and attention. */
export const attentionModel = defineModel({
  description:
    'Encoder–decoder (BiLSTM/GRU encoder, Luong decoder with input feeding) with Bahdanau or Luong (dot, general, concat) attention or none; greedy and beam search.',
  configSchema: attentionConfigSchema,
  create: (config: AttentionConfig, context: CreateContext) =>
    new Seq2SeqModel(config, vocabulariesOf(context)),
  vocabularies: (model: Seq2SeqModel) => ({ ...model.vocabularies() }),
  // The decoder's cells, attention and bridge have no PyTorch module of the same shape; weights
  // are saved under seqzoo's names.
  pytorch: false,
  task: seq2seqTask,
  // A model built with `new Seq2SeqModel(config, vocabularies)` saves like one the registry built.
  configOf: (model) => (model instanceof Seq2SeqModel ? model.modelConfig : undefined),
  // `seqzoo bench`'s decoding rows (greedy and beam 5).
  bench: attentionBench,
  // Model folders saved before 0.2 (weights named encoder.l0.l0.*) load through this.
  legacyWeights: (names, model) =>
    seq2seqLegacyWeights(names, model as unknown as Parameters<typeof seq2seqLegacyWeights>[1]),
});

/** The seq2seq plugin for `createRegistry({ plugins: [seq2seqPlugin] })`. */
export const seq2seqPlugin = definePlugin({
  namespace: 'seq2seq',
  version: '0.1.0',
  module: import.meta.url,
  models: { attention: attentionModel },
});
