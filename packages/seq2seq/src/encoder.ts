import {
  createRecurrent,
  Dense,
  type Embedding,
  Module,
  Random,
  type RecurrentLayer,
} from '@seqzoo/layers';
import * as tf from '@tensorflow/tfjs-core';
import { Seq2SeqConfigError } from './errors';
import { type CellState, type CellType, tokenEmbedding } from './recurrent';

/** Options of `Encoder`. */
export interface EncoderOptions {
  cell: CellType;
  vocabSize: number;
  embeddingSize: number;
  /** Size of each encoder output; a bidirectional encoder uses hiddenSize/2 per direction. */
  hiddenSize: number;
  numLayers: number;
  bidirectional: boolean;
  dropout: number;
  padId: number;
  seed: number;
}

/** What the encoder returns: its outputs and each layer's final state. */
export interface EncoderOutput {
  /** `[B, S, hiddenSize]`, zero past each source length. */
  output: tf.Tensor3D;
  /** Per layer, the final state with the directions concatenated: `h` (and `c`) `[B, hiddenSize]`. */
  final: CellState[];
}

/**
 * `embedding` (@seqzoo/layers' `Embedding`, the padding id's row frozen at zero) → `rnn`
 * (@seqzoo/layers' stacked, optionally bidirectional `LSTM`/`GRU` on its fused path, with the
 * source lengths). With two directions each has hiddenSize/2 units, so that outputs (the
 * attention keys) and final states are hiddenSize wide whatever the direction count (OpenNMT's
 * `brnn` convention). PyTorch: `nn.Embedding(V, E, padding_idx)` and
 * `nn.LSTM(E, H/2, numLayers, bidirectional=True, batch_first=True)` over a packed sequence.
 */
export class Encoder extends Module {
  readonly embedding: Embedding;
  readonly rnn: RecurrentLayer<'h' | 'c'> | RecurrentLayer<'h'>;
  readonly hiddenSize: number;
  readonly directions: number;

  constructor(options: EncoderOptions) {
    super();
    const dirs = options.bidirectional ? 2 : 1;
    if (options.hiddenSize % dirs !== 0) {
      throw new Seq2SeqConfigError(
        'hiddenSize',
        `a bidirectional encoder splits hiddenSize over two directions, so it must be even; got ${options.hiddenSize}.`,
      );
    }
    this.hiddenSize = options.hiddenSize;
    this.directions = dirs;
    const rng = new Random(options.seed);
    this.embedding = this.registerModule('embedding', tokenEmbedding(options, rng.nextInt()));
    this.rnn = this.registerModule(
      'rnn',
      createRecurrent(options.cell, {
        inputSize: options.embeddingSize,
        hiddenSize: options.hiddenSize / dirs,
        numLayers: options.numLayers,
        bidirectional: options.bidirectional,
        dropout: options.dropout,
        seed: rng.nextInt(),
      }),
    );
  }

  /** `source` int32 `[B, S]` (padded with padId), `lengths` per row. */
  forward(source: tf.Tensor2D, lengths: readonly number[]): EncoderOutput {
    return tf.tidy((): tf.TensorContainer => {
      const x = this.embedding.forward(source);
      const { output, state } = this.rnn.forward(x, { lengths });
      const dirs = this.directions;
      // [L·dirs, B, H/dirs] → per layer [B, H], the directions side by side. Slices, not
      // unstack: tfjs' Unpack gradient fails when some outputs get no gradient.
      const perLayer = (t: tf.Tensor3D): tf.Tensor2D[] => {
        const [n, batch, width] = t.shape;
        const at = (k: number) =>
          tf.reshape(tf.slice(t, [k, 0, 0], [1, batch, width]), [batch, width]) as tf.Tensor2D;
        return Array.from({ length: n / dirs }, (_, l) =>
          dirs === 1 ? at(l) : (tf.concat([at(2 * l), at(2 * l + 1)], 1) as tf.Tensor2D),
        );
      };
      const hs = perLayer(state.h);
      const c = (state as { c?: tf.Tensor3D }).c;
      const cs = c ? perLayer(c) : null;
      const final = hs.map((h, l) => (cs ? { h, c: cs[l] } : { h }));
      return { output, final } as unknown as tf.TensorContainer;
    }) as unknown as EncoderOutput;
  }
}

/**
 * The bridge from the encoder's final state to the decoder's initial state: for every layer,
 * `h₀ = tanh(W_h [h_fwd; h_bwd] + b_h)` (and the same with its own `W_c` for an LSTM's `c`).
 * One Dense per kind of state, shared across layers (PyTorch: `nn.Linear(H, H)` each).
 */
export class Bridge extends Module {
  private readonly h: Dense;
  private readonly c?: Dense;
  constructor(cell: CellType, hiddenSize: number, seed: number) {
    super();
    this.h = this.registerModule(
      'h',
      new Dense({ inputSize: hiddenSize, outputSize: hiddenSize, activation: 'tanh', seed }),
    );
    if (cell === 'lstm') {
      this.c = this.registerModule(
        'c',
        new Dense({
          inputSize: hiddenSize,
          outputSize: hiddenSize,
          activation: 'tanh',
          seed: seed + 1,
        }),
      );
    }
  }

  /** The decoder's initial state of every layer from the encoder's final states. */
  forward(final: CellState[]): CellState[] {
    return final.map((s) => {
      const h = this.h.forward(s.h) as tf.Tensor2D;
      return this.c && s.c ? { h, c: this.c.forward(s.c) as tf.Tensor2D } : { h };
    });
  }
}
