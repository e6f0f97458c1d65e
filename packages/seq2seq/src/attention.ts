import { Dense, Module, Random } from '@seqzoo/layers';
import * as tf from '@tensorflow/tfjs-core';
import { matVec, vecMat } from './batched-products';
import { positiveInt, Seq2SeqConfigError, Seq2SeqInputError } from './errors';
import { checkLengths, type Lengths, lengthMask } from './mask';

/**
 * Scoring functions. `bahdanau`: v·tanh(W_q q + b + W_k k) (additive, Bahdanau et al. 2015);
 * `dot`: q·k; `general`: q·W·k; `concat`: v·tanh(W [q; k]) (the three of Luong et al. 2015).
 * `none` (no attention) is handled by the decoder, not by this module.
 */
export type AttentionType = 'bahdanau' | 'dot' | 'general' | 'concat';
/** Every `AttentionType` name. */
export const ATTENTION_TYPES: readonly AttentionType[] = ['bahdanau', 'dot', 'general', 'concat'];

/** Options of `Attention`. */
export interface AttentionOptions {
  type: AttentionType;
  /** Size of the query (the decoder's hidden state). */
  querySize: number;
  /** Size of each key/value (an encoder output). */
  keySize: number;
  /** Hidden size of the additive scorers (bahdanau, concat); default `querySize`. */
  units?: number;
  seed?: number;
}

/**
 * The source side of attention, computed once per batch: the values (encoder outputs), the
 * keys projected for the scorer (so that a decoder step does one small matmul, not a projection
 * of every source position), and the additive mask (0 on real positions, -1e9 on padding).
 * Owned by the caller: `dispose()` it when the batch is done.
 */
export interface AttentionMemory {
  /** `[B, S, keySize]`. */
  readonly values: tf.Tensor3D;
  /** `[B, S, P]`: what the scorer compares the query with (P = querySize or units). */
  readonly projected: tf.Tensor3D;
  /** `[B, S]`: 0 on real positions, -1e9 on padding. */
  readonly maskBias: tf.Tensor2D;
  /** Frees the memory's tensors. */
  dispose(): void;
}

/** What one attention step returns: the context vector and the attention weights. */
export interface AttentionOutput {
  /** `[B, keySize]`: the weighted sum of the values. */
  context: tf.Tensor2D;
  /** `[B, S]`: softmax over source positions, exactly 0 on padding, rows sum to 1. */
  weights: tf.Tensor2D;
}

const MASKED = -1e9;

function memoryOf(
  values: tf.Tensor3D,
  projected: tf.Tensor3D,
  maskBias: tf.Tensor2D,
): AttentionMemory {
  return {
    values,
    projected,
    maskBias,
    dispose() {
      // `projected` may be `values` itself (dot attention).
      tf.dispose(projected === values ? [values, maskBias] : [values, projected, maskBias]);
    },
  };
}

/**
 * Global attention over the encoder outputs. Parameter names (PyTorch-like, `[in, out]`
 * weights as in `Dense`): bahdanau `query.weight`, `query.bias`, `key.weight`, `v`;
 * general `weight` `[keySize, querySize]`; concat `weight` `[querySize + keySize, units]`
 * (query rows first), `v`.
 */
export class Attention extends Module {
  readonly type: AttentionType;
  readonly querySize: number;
  readonly keySize: number;
  readonly units: number;
  private readonly queryLayer?: Dense;
  private readonly keyLayer?: Dense;
  private readonly weight?: tf.Variable;
  private readonly v?: tf.Variable;

  constructor(options: AttentionOptions) {
    super();
    if (!ATTENTION_TYPES.includes(options.type)) {
      throw new Seq2SeqConfigError(
        'type',
        `expected one of ${ATTENTION_TYPES.join(', ')}, got '${String(options.type)}' ('none' is a decoder option, not an Attention).`,
      );
    }
    this.type = options.type;
    this.querySize = positiveInt('querySize', options.querySize);
    this.keySize = positiveInt('keySize', options.keySize);
    this.units = positiveInt('units', options.units ?? this.querySize);
    const seed = options.seed ?? Math.floor(Math.random() * 2 ** 31);
    if (this.type === 'dot' && this.querySize !== this.keySize) {
      throw new Seq2SeqConfigError(
        'type',
        `dot attention needs querySize = keySize, got ${this.querySize} and ${this.keySize}. Use 'general' to compare vectors of different sizes.`,
      );
    }
    if (this.type === 'bahdanau') {
      this.queryLayer = this.registerModule(
        'query',
        new Dense({ inputSize: this.querySize, outputSize: this.units, seed }),
      );
      this.keyLayer = this.registerModule(
        'key',
        new Dense({ inputSize: this.keySize, outputSize: this.units, bias: false, seed: seed + 1 }),
      );
    } else if (this.type === 'general') {
      this.weight = this.createRandom('weight', [this.keySize, this.querySize], seed);
    } else if (this.type === 'concat') {
      this.weight = this.createRandom('weight', [this.querySize + this.keySize, this.units], seed);
    }
    if (this.type === 'bahdanau' || this.type === 'concat') {
      this.v = this.createRandom('v', [this.units], seed + 2, this.units, 1);
    }
  }

  private createRandom(
    name: string,
    shape: number[],
    seed: number,
    fanIn?: number,
    fanOut?: number,
  ) {
    return this.createParameter(name, shape, {
      init: 'glorotUniform',
      rng: new Random(seed),
      fanIn,
      fanOut,
    });
  }

  /**
   * Precomputes the source side for a batch: `keys` `[B, S, keySize]` (taken as values too) and
   * the true source lengths. Call once per batch, then `forward` once per decoder step.
   */
  prepare(keys: tf.Tensor3D, lengths: Lengths): AttentionMemory {
    if (keys.rank !== 3 || keys.shape[2] !== this.keySize) {
      throw new Seq2SeqInputError(
        `Attention expects keys [batch, source, ${this.keySize}], got [${keys.shape}].`,
      );
    }
    const [batch, source] = keys.shape;
    if (Array.isArray(lengths)) {
      checkLengths(lengths, batch, source);
    } else if ((lengths as tf.Tensor1D).shape[0] !== batch) {
      throw new Seq2SeqInputError(
        `Attention got ${(lengths as tf.Tensor1D).shape[0]} lengths for a batch of ${batch}.`,
      );
    }
    const values = tf.keep(tf.clone(keys));
    const projected = tf.tidy(() => this.projectKeys(keys));
    const maskBias = tf.tidy(
      () => tf.mul(tf.sub(1, lengthMask(lengths, source)), MASKED) as tf.Tensor2D,
    );
    return memoryOf(values, projected === keys ? values : projected, maskBias);
  }

  private projectKeys(keys: tf.Tensor3D): tf.Tensor3D {
    switch (this.type) {
      case 'dot':
        return keys;
      case 'general':
        return project(keys, this.weight as tf.Tensor2D);
      case 'bahdanau':
        return this.keyLayer!.forward(keys) as tf.Tensor3D;
      case 'concat':
        return project(
          keys,
          tf.slice(this.weight as tf.Tensor2D, [this.querySize, 0], [this.keySize, this.units]),
        );
    }
  }

  /** One step: `query` `[B, querySize]` against a prepared memory. */
  forward(query: tf.Tensor2D, memory: AttentionMemory): AttentionOutput {
    if (query.rank !== 2 || query.shape[1] !== this.querySize) {
      throw new Seq2SeqInputError(
        `Attention expects a query [batch, ${this.querySize}], got [${query.shape}].`,
      );
    }
    return tf.tidy(() => {
      const scores = tf.add(this.score(query, memory.projected), memory.maskBias);
      const weights = tf.softmax(scores) as tf.Tensor2D;
      const context = vecMat(weights, memory.values);
      return { context, weights };
    });
  }

  /** Unmasked scores `[B, S]`. */
  private score(query: tf.Tensor2D, projected: tf.Tensor3D): tf.Tensor2D {
    const [batch, source] = projected.shape;
    if (this.type === 'dot' || this.type === 'general') {
      return matVec(projected, query);
    }
    const q =
      this.type === 'bahdanau'
        ? this.queryLayer!.forward(query)
        : tf.matMul(
            query,
            tf.slice(this.weight as tf.Tensor2D, [0, 0], [this.querySize, this.units]),
          );
    const hidden = tf.tanh(tf.add(projected, tf.expandDims(q, 1)));
    return tf.reshape(
      tf.matMul(
        tf.reshape(hidden, [batch * source, this.units]),
        tf.reshape(this.v!, [this.units, 1]),
      ),
      [batch, source],
    );
  }
}

/** `[B, S, K] · [K, P]` → `[B, S, P]` as one 2-D matmul. */
function project(x: tf.Tensor3D, w: tf.Tensor2D): tf.Tensor3D {
  const [b, s, k] = x.shape;
  return tf.reshape(tf.matMul(tf.reshape(x, [b * s, k]), w), [b, s, w.shape[1]]);
}

/**
 * Repeats every batch row of a memory `k` times (row b → rows b·k … b·k+k-1), for beam search.
 * Returns a new memory; the input is left alone.
 */
export function tileMemory(memory: AttentionMemory, k: number): AttentionMemory {
  const shared = memory.projected === memory.values;
  const [values, projected, maskBias] = tf.tidy(() => {
    const batch = memory.values.shape[0];
    const index = tf.tensor1d(
      Array.from({ length: batch * k }, (_, i) => Math.floor(i / k)),
      'int32',
    );
    const v = tf.gather(memory.values, index) as tf.Tensor3D;
    const p = shared ? v : (tf.gather(memory.projected, index) as tf.Tensor3D);
    return [v, p, tf.gather(memory.maskBias, index)];
  }) as [tf.Tensor3D, tf.Tensor3D, tf.Tensor2D];
  return memoryOf(values, projected, maskBias);
}
