import { Dense, type GRU, type LSTM, Module, Random } from '@seqzoo/layers';
import * as tf from '@tensorflow/tfjs-core';
import { TokenEmbedding } from './embedding';
import { Seq2SeqConfigError } from './errors';
import { type CellState, type CellType, sequenceLayer } from './recurrent';

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

export interface EncoderOutput {
  /** `[B, S, hiddenSize]`, zero past each source length. */
  output: tf.Tensor3D;
  /** Per layer, the final state with the directions concatenated: `h` (and `c`) `[B, hiddenSize]`. */
  final: CellState[];
}

/**
 * Row indices into a `[B·T, ·]` tensor that reverse each sequence inside its length and leave
 * the padding in place: row `b·T + t` ← `b·T + (len_b − 1 − t)` for `t < len_b`. The permutation
 * is its own inverse.
 */
export function reverseIndices(lengths: readonly number[], time: number): Int32Array {
  const out = new Int32Array(lengths.length * time);
  lengths.forEach((len, b) => {
    for (let t = 0; t < time; t++) out[b * time + t] = b * time + (t < len ? len - 1 - t : t);
  });
  return out;
}

/**
 * Reverses each sequence of `x` `[B, T, F]` inside its length. A gather whose gradient is the
 * same gather (the permutation is an involution), so that no UnsortedSegmentSum is needed: the
 * wasm backend has none, and tfjs' gather gradient uses it.
 */
export function reverseSequences(x: tf.Tensor3D, indices: tf.Tensor1D): tf.Tensor3D {
  const [B, T, F] = x.shape;
  // The indices go through save(): a tensor only closed over would be disposed by the caller's
  // tidy before the backward pass runs.
  const permute = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [input, index] = args as tf.Tensor[];
    (args[2] as tf.GradSaveFunc)([index]);
    return {
      value: tf.gather(input, index),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => [
        tf.gather(dy, saved[0]),
        tf.zerosLike(saved[0]),
      ],
    };
  });
  return tf.reshape(permute(tf.reshape(x, [B * T, F]), indices), [B, T, F]);
}

/**
 * Embedding → stacked (optionally bidirectional) LSTM/GRU with lengths. Each (layer, direction)
 * is a one-layer @seqzoo/layers sequence layer on its fused path, named `l0`, `l0Reverse`, `l1`,
 * …; the reverse direction reads each sequence reversed inside its length. With two directions
 * each has hiddenSize/2 units, so that outputs (the attention keys) and final states are
 * hiddenSize wide whatever the direction count (OpenNMT's `brnn` convention).
 */
export class Encoder extends Module {
  readonly embedding: TokenEmbedding;
  /** Per layer, the forward and (bidirectional) reverse sequence layer. */
  readonly layers: (LSTM | GRU)[][] = [];
  readonly hiddenSize: number;
  readonly directions: number;
  private readonly dropout: number;
  private dropoutSeed: number;

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
    this.dropout = options.dropout;
    const rng = new Random(options.seed);
    this.dropoutSeed = rng.nextInt();
    this.embedding = this.registerModule(
      'embedding',
      new TokenEmbedding(options.vocabSize, options.embeddingSize, options.padId, rng),
    );
    for (let l = 0; l < options.numLayers; l++) {
      const layer: (LSTM | GRU)[] = [];
      for (let d = 0; d < dirs; d++) {
        const rnn = sequenceLayer(options.cell, {
          inputSize: l === 0 ? options.embeddingSize : options.hiddenSize,
          hiddenSize: options.hiddenSize / dirs,
          numLayers: 1,
          bidirectional: false,
          dropout: 0,
          seed: rng.nextInt(),
        });
        layer.push(this.registerModule(d === 0 ? `l${l}` : `l${l}Reverse`, rnn));
      }
      this.layers.push(layer);
    }
  }

  /** `source` int32 `[B, S]` (padded with padId), `lengths` per row. */
  forward(source: tf.Tensor2D, lengths: readonly number[]): EncoderOutput {
    return tf.tidy((): tf.TensorContainer => {
      const time = source.shape[1];
      let x = this.embedding.forward(source) as tf.Tensor3D;
      const reverse =
        this.directions === 2 ? tf.tensor1d(reverseIndices(lengths, time), 'int32') : null;
      const final: CellState[] = [];
      this.layers.forEach((layer, l) => {
        if (l > 0 && this.training && this.dropout > 0) {
          x = tf.dropout(x, this.dropout, undefined, this.dropoutSeed++) as tf.Tensor3D;
        }
        const outputs: tf.Tensor3D[] = [];
        const hs: tf.Tensor2D[] = [];
        const cs: tf.Tensor2D[] = [];
        layer.forEach((rnn, d) => {
          const input = d === 0 ? x : reverseSequences(x, reverse!);
          const { output, state } = rnn.forward(input, { lengths });
          outputs.push(
            d === 0 ? (output as tf.Tensor3D) : reverseSequences(output as tf.Tensor3D, reverse!),
          );
          hs.push(tf.squeeze(state.h, [0]) as tf.Tensor2D);
          const c = (state as { c?: tf.Tensor3D }).c;
          if (c) cs.push(tf.squeeze(c, [0]) as tf.Tensor2D);
        });
        x = outputs.length === 1 ? outputs[0] : (tf.concat(outputs, 2) as tf.Tensor3D);
        const join = (list: tf.Tensor2D[]) =>
          list.length === 1 ? list[0] : (tf.concat(list, 1) as tf.Tensor2D);
        final.push(cs.length ? { h: join(hs), c: join(cs) } : { h: join(hs) });
      });
      return { output: x, final } as unknown as tf.TensorContainer;
    }) as unknown as EncoderOutput;
  }
}

/**
 * The bridge from the encoder's final state to the decoder's initial state: for every layer,
 * `h₀ = tanh(W_h [h_fwd; h_bwd] + b_h)` (and the same with its own `W_c` for an LSTM's `c`).
 * One Dense per kind of state, shared across layers.
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

  forward(final: CellState[]): CellState[] {
    return final.map((s) => {
      const h = this.h.forward(s.h) as tf.Tensor2D;
      return this.c && s.c ? { h, c: this.c.forward(s.c) as tf.Tensor2D } : { h };
    });
  }
}
