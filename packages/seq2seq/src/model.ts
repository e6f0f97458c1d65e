import { crossEntropy, Module, Random } from '@seqzoo/layers';
import * as tf from '@tensorflow/tfjs-core';
import { ATTENTION_TYPES, Attention, type AttentionMemory, type AttentionType } from './attention';
import { Decoder, type DecoderState } from './decoder';
import { Bridge, Encoder } from './encoder';
import { numberIn, positiveInt, Seq2SeqConfigError, Seq2SeqInputError } from './errors';
import { CELL_TYPES, type CellType } from './recurrent';

/** The architecture of a `Seq2Seq` model: sizes, cell, layers, attention, dropout, seed. */
export interface Seq2SeqConfig {
  sourceVocabSize: number;
  targetVocabSize: number;
  /** Default 'lstm'. */
  cell?: CellType;
  /** Default 64. */
  embeddingSize?: number;
  /** Decoder hidden size and encoder output size (split over directions); default 128. */
  hiddenSize?: number;
  /** Layers of the encoder and of the decoder; default 1. */
  numLayers?: number;
  /** Default true. */
  bidirectional?: boolean;
  /** Default 'general'; 'none' is the plain encoder–decoder. */
  attention?: AttentionType | 'none';
  /** Hidden size of the additive scorers; default hiddenSize. */
  attentionUnits?: number;
  /** Default true (ignored without attention). */
  inputFeeding?: boolean;
  /** Dropout between layers and on the attentional vector; default 0.1. */
  dropout?: number;
  /** Ids of the specials; defaults follow @seqzoo/data's Vocab (<pad>=0, <bos>=2, <eos>=3). */
  padId?: number;
  bosId?: number;
  eosId?: number;
  seed?: number;
}

/** A `Seq2SeqConfig` with every default filled in. */
export type ResolvedConfig = Required<Omit<Seq2SeqConfig, 'attentionUnits' | 'seed'>> & {
  attentionUnits?: number;
  seed: number;
};

const ATTENTION_CHOICES = [...ATTENTION_TYPES, 'none'] as const;

/** Fills defaults and validates a config (throws `Seq2SeqConfigError` naming the field). */
export function resolveConfig(config: Seq2SeqConfig): ResolvedConfig {
  const c: ResolvedConfig = {
    sourceVocabSize: positiveInt('sourceVocabSize', config.sourceVocabSize),
    targetVocabSize: positiveInt('targetVocabSize', config.targetVocabSize),
    cell: config.cell ?? 'lstm',
    embeddingSize: positiveInt('embeddingSize', config.embeddingSize ?? 64),
    hiddenSize: positiveInt('hiddenSize', config.hiddenSize ?? 128),
    numLayers: positiveInt('numLayers', config.numLayers ?? 1),
    bidirectional: config.bidirectional ?? true,
    attention: config.attention ?? 'general',
    inputFeeding: config.inputFeeding ?? true,
    dropout: numberIn('dropout', config.dropout ?? 0.1, 0, 1),
    padId: config.padId ?? 0,
    bosId: config.bosId ?? 2,
    eosId: config.eosId ?? 3,
    seed: config.seed ?? Math.floor(Math.random() * 2 ** 31),
  };
  if (config.attentionUnits !== undefined) {
    c.attentionUnits = positiveInt('attentionUnits', config.attentionUnits);
  }
  if (!CELL_TYPES.includes(c.cell)) {
    throw new Seq2SeqConfigError('cell', `expected 'lstm' or 'gru', got '${String(c.cell)}'.`);
  }
  if (!(ATTENTION_CHOICES as readonly string[]).includes(c.attention)) {
    throw new Seq2SeqConfigError(
      'attention',
      `expected one of ${ATTENTION_CHOICES.join(', ')}, got '${String(c.attention)}'.`,
    );
  }
  for (const key of ['padId', 'bosId', 'eosId'] as const) {
    const id = c[key];
    if (!Number.isInteger(id) || id < 0 || id >= c.targetVocabSize) {
      throw new Seq2SeqConfigError(key, `expected an id in [0, ${c.targetVocabSize}), got ${id}.`);
    }
  }
  return c;
}

/** Padded int32 tensors of a batch (owned by the caller). */
export interface Seq2SeqTensors {
  /** `[B, S]` source ids, padded with padId. */
  source: tf.Tensor2D;
  sourceLengths: number[];
  /** `[B, T+1]` decoder inputs: `<bos> y₁ … y_T` then padding. */
  targetIn: tf.Tensor2D;
  /** `[B, T+1]` targets: `y₁ … y_T <eos>` then padding. */
  targetOut: tf.Tensor2D;
}

/** The encoded source, ready for decoding (owned: `dispose()` it). */
export interface Encoded {
  memory: AttentionMemory | null;
  state: DecoderState;
  sourceLengths: number[];
  /** Frees the encoded tensors. */
  dispose(): void;
}

/** Options of `Seq2Seq.loss`. */
export interface LossOptions {
  labelSmoothing?: number;
}

/** Pads rows of ids to the longest with `pad` into an int32 `[B, max]` tensor. */
export function padRows(
  rows: readonly (readonly number[])[],
  pad: number,
  width?: number,
): tf.Tensor2D {
  const max = width ?? Math.max(1, ...rows.map((r) => r.length));
  const data = new Int32Array(rows.length * max).fill(pad);
  rows.forEach((r, i) => {
    data.set(r, i * max);
  });
  return tf.tensor2d(data, [rows.length, max], 'int32');
}

/**
 * The encoder–decoder: `encoder` (embedding → BiLSTM/GRU), `bridge` (final state → decoder
 * initial state), `attention` (the scorer; absent with attention 'none') and `decoder` (input
 * feeding, combine, output projection). Works on token ids; vocabularies live with the registry
 * plugin and the `Translator`.
 *
 * Parameter names follow the module tree, so that `exportPytorchState` (@seqzoo/registry) gives
 * the `state_dict()` names of the PyTorch twin (`pytorch/seqzoo_seq2seq.py`):
 * `encoder.embedding.weight`, `encoder.rnn.weight_ih_l0[_reverse]`…, `bridge.h.weight`,
 * `attention.weight` (or `attention.query.weight`, `attention.key.weight`, `attention.v`),
 * `decoder.embedding.weight`, `decoder.rnn.weight_ih_l0`…, `decoder.combine.weight`,
 * `decoder.out.weight`, `decoder.out.bias`. Models saved before 0.2 used other names:
 * `migrateLegacyWeights` reads them.
 */
export class Seq2Seq extends Module {
  readonly config: ResolvedConfig;
  readonly encoder: Encoder;
  readonly bridge: Bridge;
  readonly attention: Attention | null;
  readonly decoder: Decoder;

  constructor(config: Seq2SeqConfig) {
    super();
    this.config = resolveConfig(config);
    const c = this.config;
    const rng = new Random(c.seed);
    this.encoder = this.registerModule(
      'encoder',
      new Encoder({
        cell: c.cell,
        vocabSize: c.sourceVocabSize,
        embeddingSize: c.embeddingSize,
        hiddenSize: c.hiddenSize,
        numLayers: c.numLayers,
        bidirectional: c.bidirectional,
        dropout: c.dropout,
        padId: c.padId,
        seed: rng.nextInt(),
      }),
    );
    this.bridge = this.registerModule(
      'bridge',
      new Bridge(c.cell, c.hiddenSize, rng.nextInt() >>> 1),
    );
    this.attention =
      c.attention === 'none'
        ? null
        : this.registerModule(
            'attention',
            new Attention({
              type: c.attention,
              querySize: c.hiddenSize,
              keySize: c.hiddenSize,
              units: c.attentionUnits,
              seed: rng.nextInt() >>> 1,
            }),
          );
    this.decoder = this.registerModule(
      'decoder',
      new Decoder({
        cell: c.cell,
        vocabSize: c.targetVocabSize,
        embeddingSize: c.embeddingSize,
        hiddenSize: c.hiddenSize,
        numLayers: c.numLayers,
        attention: this.attention,
        inputFeeding: c.inputFeeding,
        dropout: c.dropout,
        padId: c.padId,
        seed: rng.nextInt(),
      }),
    );
  }

  private checkIds(
    rows: readonly (readonly number[])[],
    vocab: number,
    what: string,
    empty: boolean,
  ) {
    rows.forEach((row, i) => {
      if (!empty && row.length === 0) {
        throw new Seq2SeqInputError(
          `${what} ${i} is empty; every source needs at least one token.`,
        );
      }
      for (const id of row) {
        if (!Number.isInteger(id) || id < 0 || id >= vocab) {
          throw new Seq2SeqInputError(
            `${what} ${i} holds id ${id}, outside the vocabulary [0, ${vocab}). Encode with the model's vocabulary.`,
          );
        }
      }
    });
  }

  /** Builds the padded tensors of a batch of (source, target) id rows (no specials in them). */
  tensors(
    sources: readonly (readonly number[])[],
    targets: readonly (readonly number[])[],
  ): Seq2SeqTensors {
    const c = this.config;
    if (sources.length !== targets.length || sources.length === 0) {
      throw new Seq2SeqInputError(
        `Got ${sources.length} sources and ${targets.length} targets; give the same, non-zero number.`,
      );
    }
    this.checkIds(sources, c.sourceVocabSize, 'source', false);
    this.checkIds(targets, c.targetVocabSize, 'target', true);
    const width = Math.max(...targets.map((t) => t.length)) + 1;
    return {
      source: padRows(sources, c.padId),
      sourceLengths: sources.map((s) => s.length),
      targetIn: padRows(
        targets.map((t) => [c.bosId, ...t]),
        c.padId,
        width,
      ),
      targetOut: padRows(
        targets.map((t) => [...t, c.eosId]),
        c.padId,
        width,
      ),
    };
  }

  /** Encodes padded sources: attention memory (precomputed keys) and the decoder's first state. */
  encodeTensors(source: tf.Tensor2D, sourceLengths: readonly number[]): Encoded {
    const result = tf.tidy((): tf.TensorContainer => {
      const { output, final } = this.encoder.forward(source, sourceLengths);
      const state = this.decoder.initialState(this.bridge.forward(final));
      return { output, state } as unknown as tf.TensorContainer;
    }) as unknown as { output: tf.Tensor3D; state: DecoderState };
    const memory = this.attention ? this.attention.prepare(result.output, sourceLengths) : null;
    result.output.dispose();
    const lengths = [...sourceLengths];
    return {
      memory,
      state: result.state,
      sourceLengths: lengths,
      dispose() {
        memory?.dispose();
        tf.dispose(stateList(result.state));
      },
    };
  }

  /** Encodes unpadded source id rows. */
  encode(sources: readonly (readonly number[])[]): Encoded {
    this.checkIds(sources, this.config.sourceVocabSize, 'source', false);
    const source = padRows(sources, this.config.padId);
    try {
      return this.encodeTensors(
        source,
        sources.map((s) => s.length),
      );
    } finally {
      source.dispose();
    }
  }

  /**
   * Teacher-forced logits `[B, T+1, V]` for a batch (training mode applies dropout). The key
   * projections of the attention are computed once; the loop over target time runs the cells.
   */
  logits(batch: Seq2SeqTensors): tf.Tensor3D {
    return tf.tidy(() => {
      const encoded = this.encodeTensors(batch.source, batch.sourceLengths);
      const [, steps] = batch.targetIn.shape;
      const embedded = tf.unstack(
        tf.transpose(this.decoder.embedding.forward(batch.targetIn), [1, 0, 2]),
      ) as tf.Tensor2D[];
      let state = encoded.state;
      const hidden: tf.Tensor2D[] = [];
      for (let t = 0; t < steps; t++) {
        const out = this.decoder.step(embedded[t], state, encoded.memory);
        hidden.push(out.hidden);
        state = out.state;
      }
      const logits = this.decoder.logits(tf.stack(hidden, 1)) as tf.Tensor3D;
      encoded.memory?.dispose();
      return logits;
    });
  }

  /** Masked (label-smoothed) cross-entropy per target token, `<eos>` included. */
  loss(batch: Seq2SeqTensors, options: LossOptions = {}): tf.Scalar {
    return tf.tidy(
      () =>
        crossEntropy(this.logits(batch), batch.targetOut, {
          ignoreIndex: this.config.padId,
          labelSmoothing: options.labelSmoothing,
        }) as tf.Scalar,
    );
  }
}

function stateList(state: DecoderState): tf.Tensor[] {
  const out: tf.Tensor[] = [];
  for (const s of state.layers) out.push(s.h, ...(s.c ? [s.c] : []));
  if (state.feed) out.push(state.feed);
  return out;
}

/** Disposes the tensors of a `Seq2SeqTensors`. */
export function disposeTensors(batch: Seq2SeqTensors): void {
  tf.dispose([batch.source, batch.targetIn, batch.targetOut]);
}
