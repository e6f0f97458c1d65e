import { names, Rng } from '@seqzoo/data';
import type { DatasetSource, PlainText, Prediction, Task } from '@seqzoo/registry';
import { checkPositiveInt } from '../errors';
import { inEvalMode } from '../task/classifier-task';
import { buildTextVocab } from '../text/text-vocab';
import {
  charLmConfigSchema,
  type LmWindowBatch,
  type RecurrentLM,
  wordLmConfigSchema,
} from './recurrent-lm';

/** `--dataset names`: stdlib's English first names (female and male), lower-cased. */
const namesDataset: DatasetSource<PlainText> = {
  description:
    "English first names (stdlib's female and male lists, 8.4k distinct), lower-cased; size: a seeded sample of that many.",
  async load({ size, seed }) {
    const all = (await (await names()).toArray()).map((e) => ({ text: e.name.toLowerCase() }));
    if (size === undefined) return { train: all };
    checkPositiveInt('size', size);
    return { train: new Rng(seed).shuffle(all).slice(0, size) };
  },
};

/**
 * The task of `zoo:char-lm` (`unit: 'char'`) and `zoo:word-lm`: plain texts (one per line of a
 * text file; a leading byte-order mark is dropped), the vocabulary from the training texts;
 * truncated-BPTT windows of the texts joined by `<eos>` (shuffled each epoch, the state carried
 * from window to window, and checkpointed with the weights); mean next-token cross-entropy;
 * perplexity and bits per char (per token for words), picked by perplexity; `predict` continues
 * each input as a prompt (temperature, topK, maxLength, seed).
 */
function lmTask(unit: 'char' | 'word'): Task<RecurrentLM, PlainText, LmWindowBatch> {
  const bits = unit === 'char' ? 'bitsPerChar' : 'bitsPerToken';
  return {
    examples: 'text',
    datasets: { names: namesDataset },
    vocabularies(train, config) {
      // Looked up here, not at module load: recurrent-lm.ts and this file import each other.
      const schema = unit === 'char' ? charLmConfigSchema : wordLmConfigSchema;
      const c = schema.parse(config ?? {});
      const { tokenizer, vocab } = buildTextVocab(
        train.map((e) => e.text),
        c.text,
      );
      return { text: { tokenizer: tokenizer.toJSON(), vocab: vocab.toJSON() } };
    },
    prepare(model, train) {
      model.prepare(train.map((e) => e.text));
    },
    batches: (model, examples, options) =>
      model.windows(
        examples.map((e) => e.text),
        { batchSize: options.batchSize, seed: options.seed, shuffle: options.training },
      ),
    loss: (model, batch) => model.loss(batch),
    size: (batch) => batch.input.length * (batch.input[0]?.length ?? 0),
    async evaluate(model, examples) {
      const r = inEvalMode(model, () => model.evaluate(examples.map((e) => e.text)));
      return { perplexity: r.perplexity, [bits]: r.bitsPerToken, crossEntropy: r.crossEntropy };
    },
    metric: { name: 'perplexity', mode: 'min' },
    async predict(model, inputs, options): Promise<Prediction[]> {
      return inEvalMode(model, () =>
        inputs.map((prompt, i) => {
          const text = model.generate({
            prompt,
            temperature: options.temperature,
            topK: options.topK,
            maxLength: options.maxLength,
            seed: options.seed === undefined ? undefined : options.seed + i,
          });
          return { input: prompt, text, output: { prompt, text } };
        }),
      );
    },
    predictOptions: ['temperature', 'topK', 'maxLength', 'seed'],
    training: {
      optimizer: 'adam',
      learningRate: 3e-3,
      batchSize: 32,
      clipGradNorm: 1,
      epochs: 5,
    },
  };
}

/** The task of `zoo:char-lm` (see `lmTask`): windows, perplexity and bits per char, generation. */
export const charLmTask = lmTask('char');
/** The task of `zoo:word-lm`: as `charLmTask`, over words (bits per token). */
export const wordLmTask = lmTask('word');
