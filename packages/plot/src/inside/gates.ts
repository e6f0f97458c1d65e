import { LSTMCell } from '@seqzoo/layers';
import * as tf from '@tensorflow/tfjs-core';
import { PlotArgumentError } from './errors';

/** Gate activations of one LSTM layer over a sequence: each `[T][H]`, values in (0, 1). */
export interface LstmGates {
  input: number[][];
  forget: number[][];
  output: number[][];
  /** The cell state c_t `[T][H]` (unbounded). */
  cell: number[][];
}

/** What a weight source must hold for `lstmGates`: a layer's tensors in seqzoo's layout (i, f, g, o). */
export interface LstmWeights {
  weightIh: tf.Tensor;
  weightHh: tf.Tensor;
  biasIh?: tf.Tensor;
  biasHh?: tf.Tensor;
}

/**
 * The LSTM layers' weights under `prefix` of a state dict (`rnn.l0.weightIh`, `rnn.l1…`; prefix
 * '' for an `LSTM` layer's own state dict, `l0.weightIh`), in order. Throws a `PlotArgumentError` naming the prefix when there are none (not an LSTM, or
 * another prefix).
 */
export function lstmLayersOf(state: Map<string, tf.Tensor>, prefix = 'rnn'): LstmWeights[] {
  const layers: LstmWeights[] = [];
  const at = (k: number) => (prefix ? `${prefix}.l${k}` : `l${k}`);
  for (let k = 0; state.has(`${at(k)}.weightIh`); k++) {
    const get = (name: string) => state.get(`${at(k)}.${name}`);
    const weightIh = get('weightIh') as tf.Tensor;
    const weightHh = get('weightHh');
    if (!weightHh || weightHh.shape[1] !== 4 * weightHh.shape[0]) {
      throw new PlotArgumentError(
        'model',
        `'${at(k)}' is not an LSTM layer (its weightHh is [${weightHh?.shape}], an LSTM's is [H, 4H]); gates exist only for cell 'lstm'.`,
      );
    }
    layers.push({ weightIh, weightHh, biasIh: get('biasIh'), biasHh: get('biasHh') });
  }
  if (layers.length === 0) {
    throw new PlotArgumentError(
      'model',
      `no recurrent layer '${at(0)}.weightIh' in the model's state dict.`,
    );
  }
  return layers;
}

/**
 * Input, forget and output gate activations (and the cell state) of layer `layer` of a stacked
 * LSTM over `inputs` `[T, F]` (one sequence, e.g. a text's embedded characters). Each layer is
 * an `@seqzoo/layers` `LSTMCell` loaded with the given weights; its `stepState` carries h and c,
 * and the gates are read from the same pre-activation `x·W_ih + b_ih + h·W_hh + b_hh` (gate
 * order i, f, g, o). Leaves no tensors behind.
 */
export function lstmGates(
  layers: readonly LstmWeights[],
  inputs: tf.Tensor2D,
  layer = 0,
): LstmGates {
  if (!Number.isInteger(layer) || layer < 0 || layer >= layers.length) {
    throw new PlotArgumentError('layer', `expected 0 to ${layers.length - 1}, got ${layer}.`);
  }
  if (inputs.rank !== 2 || inputs.shape[1] !== layers[0].weightIh.shape[0]) {
    throw new PlotArgumentError(
      'inputs',
      `expected [time, ${layers[0].weightIh.shape[0]}], got [${inputs.shape}].`,
    );
  }
  const cells = layers.slice(0, layer + 1).map((w) => {
    const [inputSize, gates] = w.weightIh.shape as [number, number];
    const cell = new LSTMCell({ inputSize, hiddenSize: gates / 4, bias: Boolean(w.biasIh) });
    const state = new Map<string, tf.Tensor>([
      ['weightIh', w.weightIh],
      ['weightHh', w.weightHh],
    ]);
    if (w.biasIh && w.biasHh) {
      state.set('biasIh', w.biasIh);
      state.set('biasHh', w.biasHh);
    }
    cell.loadStateDict(state);
    return cell;
  });
  try {
    const T = inputs.shape[0];
    const H = cells[layer].hiddenSize;
    const rows: { z: Float32Array; c: Float32Array }[] = [];
    tf.tidy(() => {
      const xs = tf.split(inputs, T, 0) as tf.Tensor2D[];
      let states = cells.map((cell) => cell.zeroState(1));
      for (let t = 0; t < T; t++) {
        let x = xs[t];
        states = states.map((prev, k) => {
          const cell = cells[k];
          if (k === layer) {
            let z = tf.add(
              tf.matMul(x, cell.weightIh as tf.Tensor2D),
              tf.matMul(prev[0], cell.weightHh as tf.Tensor2D),
            );
            if (cell.biasIh && cell.biasHh) z = tf.add(z, tf.add(cell.biasIh, cell.biasHh));
            const next = cell.stepState(x, prev);
            rows.push({
              z: tf.sigmoid(z).dataSync() as Float32Array,
              c: next[1].dataSync() as Float32Array,
            });
            return next;
          }
          const next = cell.stepState(x, prev);
          x = next[0];
          return next;
        });
      }
    });
    const gate = (g: number) => rows.map((r) => Array.from(r.z.subarray(g * H, (g + 1) * H)));
    return {
      input: gate(0),
      forget: gate(1),
      output: gate(3),
      cell: rows.map((r) => Array.from(r.c)),
    };
  } finally {
    for (const cell of cells) cell.dispose();
  }
}

/** Karpathy et al.'s saturation statistic: the fraction of activations below 0.1 and above 0.9. */
export function saturation(values: readonly (readonly number[])[]): {
  left: number;
  right: number;
} {
  let left = 0;
  let right = 0;
  let n = 0;
  for (const row of values) {
    for (const v of row) {
      n++;
      if (v < 0.1) left++;
      else if (v > 0.9) right++;
    }
  }
  return { left: n ? left / n : 0, right: n ? right / n : 0 };
}

/**
 * What `languageModelGates` needs of a recurrent language model (e.g. `@seqzoo/zoo`'s
 * `RecurrentLM`, matched by shape: this package does not import zoo): token ids of a text, the
 * vocabulary's `<eos>` id and tokens, and a state dict holding `embedding.weight` and the LSTM
 * layers under `rnn.`.
 */
export interface GateReadableLM {
  /** The token ids of `text`. */
  encode(text: string): number[];
  vocab: {
    eosId: number;
    /** The token of an id. */
    tokenOf(id: number): string;
  };
  /** The model's weights by name. */
  stateDict(): Map<string, tf.Tensor>;
}

/**
 * The gates of a language model's LSTM layer `layer` while it reads `text` (after the `<eos>`
 * it starts every sequence with, as in training): one column per token of the text.
 */
export function languageModelGates(
  lm: GateReadableLM,
  text: string,
  options: { layer?: number; prefix?: string; embedding?: string } = {},
): LstmGates & { tokens: string[] } {
  const ids = lm.encode(text);
  if (ids.length === 0)
    throw new PlotArgumentError('text', 'the text has no tokens; give some text to read.');
  const state = lm.stateDict();
  const embeddingName = options.embedding ?? 'embedding.weight';
  const embedding = state.get(embeddingName);
  if (!embedding)
    throw new PlotArgumentError('model', `no '${embeddingName}' in the model's state dict.`);
  const layers = lstmLayersOf(state, options.prefix ?? 'rnn');
  const all = [lm.vocab.eosId, ...ids];
  const inputs = tf.tidy(() => tf.gather(embedding, tf.tensor1d(all, 'int32')) as tf.Tensor2D);
  try {
    const g = lstmGates(layers, inputs, options.layer ?? 0);
    return {
      tokens: ids.map((id) => lm.vocab.tokenOf(id)),
      input: g.input.slice(1),
      forget: g.forget.slice(1),
      output: g.output.slice(1),
      cell: g.cell.slice(1),
    };
  } finally {
    inputs.dispose();
  }
}
