import { charTokenizer, Rng, Vocab } from '@seqzoo/data';
import type { BenchCase, BenchContext, BenchSize } from '@seqzoo/registry';
import type { Seq2SeqModel } from './plugin';

/** Hidden and embedding sizes, words decoded a run, longest output (tokens), by bench size. */
const SIZES: Record<BenchSize, { hidden: number; embedding: number; words: number; max: number }> =
  {
    XS: { hidden: 16, embedding: 8, words: 8, max: 8 },
    S: { hidden: 64, embedding: 32, words: 50, max: 12 },
    M: { hidden: 128, embedding: 64, words: 100, max: 12 },
  };

const LETTERS = 'abcdefghijklmnopqrstuvwxyz'.split('');

/**
 * `seqzoo bench`'s seq2seq rows: `seq2seq:attention` with its defaults (bidirectional LSTM
 * encoder, general attention) decoding random lowercase words of 4–10 letters in one batch,
 * greedy and beam 5, outputs capped. The weights are untrained, so most outputs run to the cap:
 * the rate is that of the longest outputs, a lower bound for a trained model on such words.
 */
export async function attentionBench(context: BenchContext<Seq2SeqModel>): Promise<BenchCase[]> {
  const s = SIZES[context.size];
  const chars = charTokenizer().toJSON();
  const vocab = Vocab.fromTokens(LETTERS).toJSON();
  const model = await context.create(
    { hiddenSize: s.hidden, embeddingSize: s.embedding, dropout: 0, seed: 9 },
    { source: vocab, target: vocab, sourceTokenizer: chars, targetTokenizer: chars },
  );
  model.eval();
  const rng = new Rng(13);
  const words = Array.from({ length: s.words }, () =>
    Array.from({ length: rng.int(4, 11) }, () => rng.pick(LETTERS)).join(''),
  );
  const limit = { maxLengthRatio: 0, maxLengthOffset: s.max };
  const shape = `${s.words} words, H${s.hidden}, ≤${s.max} tokens`;
  const decode = (options: object) => async () => {
    model.translator.translate(words, options);
  };
  return [
    {
      name: 'greedy',
      label: 'seq2seq greedy decode',
      shape,
      items: s.words,
      unit: 'words/s',
      run: decode({ method: 'greedy', ...limit }),
      dispose() {},
    },
    {
      name: 'beam5',
      label: 'seq2seq beam-5 decode',
      shape,
      items: s.words,
      unit: 'words/s',
      run: decode({ method: 'beam', beamWidth: 5, ...limit }),
      dispose: () => model.dispose(),
    },
  ];
}
