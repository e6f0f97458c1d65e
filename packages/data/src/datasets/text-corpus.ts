import { Dataset, dropping, iterate } from '../dataset';
import { checkPositiveInt } from '../errors';
import { readLines } from '../read-lines';
import type { ReaderOptions } from '../reader';
import type { SourceLike } from '../sources';
import type { Tokenizer } from '../tokenizers';
import type { Vocab } from '../vocab';

/** Options of `textCorpus`: tokenizer, vocabulary, window length and stride, `<eos>` per line. */
export interface TextCorpusOptions extends ReaderOptions {
  tokenizer: Tokenizer;
  vocab: Vocab;
  /** Tokens per window (the BPTT length). */
  length: number;
  /** Start of one window to the next. Default `length` (windows do not overlap, as in PyTorch's word_language_model). */
  stride?: number;
  /** Append `<eos>` after each line. Default true. */
  eosPerLine?: boolean;
}

/** A language-model training window: token ids and the same ids shifted by one. */
export interface LmWindow {
  /** `length` token ids. */
  input: number[];
  /** The same window shifted by one token: the next token at each position. */
  target: number[];
}

/**
 * Any text file cut into language-model windows: the lines are tokenized and encoded into one
 * token stream (with `<eos>` between lines), then cut into windows of `length` inputs and their
 * next-token targets. Streams in constant memory; a trailing partial window is dropped.
 * Build the vocabulary first, e.g. `await Vocab.build(readLines(src).map(tok.tokenize))`.
 */
export function textCorpus(source: SourceLike, options: TextCorpusOptions): Dataset<LmWindow> {
  const { tokenizer, vocab, length, eosPerLine = true } = options;
  checkPositiveInt('length', length);
  const stride = checkPositiveInt('stride', options.stride ?? length);
  const lines = readLines(source, options);
  return Dataset.fromChunks<LmWindow>((ctx, skip) => {
    const gen = async function* () {
      let buf: number[] = [];
      for await (const chunk of iterate(lines.open(ctx, 0))) {
        const out: LmWindow[] = [];
        for (const line of chunk) {
          for (const t of tokenizer.tokenize(line)) buf.push(vocab.idOf(t));
          if (eosPerLine) buf.push(vocab.eosId);
          let at = 0;
          while (buf.length - at >= length + 1) {
            out.push({
              input: buf.slice(at, at + length),
              target: buf.slice(at + 1, at + length + 1),
            });
            at += stride;
          }
          if (at > 0) buf = buf.slice(at);
        }
        if (out.length) yield out;
      }
    };
    return skip > 0 ? dropping(gen(), skip) : gen();
  });
}
