import {
  createRecurrent,
  Dense,
  type Embedding,
  Module,
  Random,
  type RecurrentLayer,
} from '@seqzoo/layers';
import * as tf from '@tensorflow/tfjs-core';
import type { Attention, AttentionMemory } from './attention';
import { type CellState, type CellType, tokenEmbedding } from './recurrent';

/** Options of `Decoder`. */
export interface DecoderOptions {
  cell: CellType;
  vocabSize: number;
  embeddingSize: number;
  hiddenSize: number;
  numLayers: number;
  /**
   * The attention module (owned and named by the model, not by the decoder), or null: no
   * attention, the source is seen only through the bridged initial state.
   */
  attention: Attention | null;
  /** Feed the previous attentional vector h̃ into the first layer (Luong); default true. */
  inputFeeding: boolean;
  dropout: number;
  padId: number;
  seed: number;
}

/** What the decoder carries from step to step. */
export interface DecoderState {
  layers: CellState[];
  /** The previous attentional vector h̃ `[B, H]` (input feeding). */
  feed?: tf.Tensor2D;
}

/** What one decoder step returns: the attentional vector, the new state and the attention weights. */
export interface DecoderStep {
  /** The attentional vector h̃ `[B, H]` (after dropout), input of the output projection. */
  hidden: tf.Tensor2D;
  state: DecoderState;
  /** `[B, S]` attention weights, absent without attention. */
  weights?: tf.Tensor2D;
}

/**
 * Luong et al. (2015)'s decoder: embed y_{t-1}, concatenate the previous attentional vector
 * (input feeding), step a stack of cells, attend with the top hidden state h_t, and form
 * h̃_t = tanh(W_c [c_t; h_t]); logits = W_out h̃_t. Every scorer (Bahdanau's additive one
 * included) uses this topology, as OpenNMT does. Without attention h̃_t = h_t.
 *
 * Children (PyTorch: the same attribute names): `embedding` (`nn.Embedding`, padding row
 * frozen), `rnn` (a unidirectional `nn.LSTM`/`nn.GRU` of numLayers, stepped one token at a
 * time), `combine` (`nn.Linear(2H, H, bias=False)`, with attention) and `out` (`nn.Linear(H, V)`).
 */
export class Decoder extends Module {
  readonly embedding: Embedding;
  readonly rnn: RecurrentLayer<'h' | 'c'> | RecurrentLayer<'h'>;
  /** Not a child: the model owns it (its weights are `attention.*`). */
  readonly attention: Attention | null;
  readonly combine: Dense | null;
  readonly out: Dense;
  readonly hiddenSize: number;
  readonly inputFeeding: boolean;
  private readonly dropout: number;
  private dropoutSeed: number;

  constructor(options: DecoderOptions) {
    super();
    const rng = new Random(options.seed);
    const H = options.hiddenSize;
    this.hiddenSize = H;
    this.dropout = options.dropout;
    this.dropoutSeed = rng.nextInt();
    this.inputFeeding = options.attention !== null && options.inputFeeding;
    this.embedding = this.registerModule('embedding', tokenEmbedding(options, rng.nextInt()));
    this.rnn = this.registerModule(
      'rnn',
      createRecurrent(options.cell, {
        inputSize: options.embeddingSize + (this.inputFeeding ? H : 0),
        hiddenSize: H,
        numLayers: options.numLayers,
        // Dropout between layers is applied by step() (the layer is stepped, not run).
        dropout: 0,
        seed: rng.nextInt(),
      }),
    );
    this.attention = options.attention;
    this.combine = options.attention
      ? this.registerModule(
          'combine',
          new Dense({
            inputSize: 2 * H,
            outputSize: H,
            activation: 'tanh',
            bias: false,
            seed: rng.nextInt(),
          }),
        )
      : null;
    this.out = this.registerModule(
      'out',
      new Dense({ inputSize: H, outputSize: options.vocabSize, seed: rng.nextInt() }),
    );
  }

  /** The first state from the bridged encoder state. */
  initialState(layers: CellState[]): DecoderState {
    const batch = layers[0].h.shape[0];
    return this.inputFeeding
      ? { layers, feed: tf.zeros([batch, this.hiddenSize]) as tf.Tensor2D }
      : { layers };
  }

  private drop<T extends tf.Tensor>(x: T): T {
    if (!this.training || this.dropout === 0) return x;
    return tf.dropout(x, this.dropout, undefined, this.dropoutSeed++) as T;
  }

  /** One step from embedded previous tokens `[B, E]`. Not tidied: call inside `tf.tidy`. */
  step(embedded: tf.Tensor2D, state: DecoderState, memory: AttentionMemory | null): DecoderStep {
    let x: tf.Tensor2D = state.feed
      ? (tf.concat([embedded, state.feed], 1) as tf.Tensor2D)
      : embedded;
    const layers: CellState[] = [];
    for (let l = 0; l < this.rnn.numLayers; l++) {
      if (l > 0) x = this.drop(x);
      const prev = state.layers[l];
      const next = this.rnn.stepCell(l, x, prev.c ? [prev.h, prev.c] : [prev.h]);
      layers.push(next.length === 2 ? { h: next[0], c: next[1] } : { h: next[0] });
      x = next[0];
    }
    if (!this.attention || !memory) {
      return { hidden: this.drop(x), state: { layers } };
    }
    const { context, weights } = this.attention.forward(x, memory);
    const hidden = this.drop(this.combine!.forward(tf.concat([context, x], 1)) as tf.Tensor2D);
    return {
      hidden,
      state: this.inputFeeding ? { layers, feed: hidden } : { layers },
      weights,
    };
  }

  /** Logits `[..., V]` from attentional vectors `[..., H]`. */
  logits(hidden: tf.Tensor): tf.Tensor {
    return this.out.forward(hidden);
  }
}

/** The tensors of a decoder state, in a fixed order (for gather / dispose). */
export function stateTensors(state: DecoderState): tf.Tensor2D[] {
  const out: tf.Tensor2D[] = [];
  for (const s of state.layers) {
    out.push(s.h);
    if (s.c) out.push(s.c);
  }
  if (state.feed) out.push(state.feed);
  return out;
}

/** Applies `f` to every tensor of a state, keeping its structure. */
export function mapState(state: DecoderState, f: (t: tf.Tensor2D) => tf.Tensor2D): DecoderState {
  return {
    layers: state.layers.map((s) => (s.c ? { h: f(s.h), c: f(s.c) } : { h: f(s.h) })),
    ...(state.feed ? { feed: f(state.feed) } : {}),
  };
}
