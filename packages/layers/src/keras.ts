import * as tf from '@tensorflow/tfjs-core';
import { LayerConfigError, StateDictError } from './errors';
import { GRUCell } from './gru-cell';
import { RecurrentCell } from './recurrent-cell';
import type { RecurrentLayer } from './recurrent-layer';

/**
 * Keras' weights of one recurrent layer (`LSTM`, `GRU`, `SimpleRNN`, or one direction of a
 * `Bidirectional`): `kernel` `[in, G·H]`, `recurrent_kernel` `[H, G·H]`, `bias` `[G·H]` (GRU
 * with `reset_after`: `[2, 3H]`, input bias then recurrent bias).
 */
export interface KerasRecurrentWeights {
  kernel: tf.Tensor;
  recurrent_kernel: tf.Tensor;
  bias?: tf.Tensor;
}

/** Which layer and direction of a Keras recurrent layer to read. */
export interface KerasSelect {
  /** Which stacked layer of a sequence layer (default 0). */
  layer?: number;
  /** The backward direction of a bidirectional layer (default false). */
  reverse?: boolean;
}

function pickCell(
  target: RecurrentLayer<string> | RecurrentCell,
  select: KerasSelect,
): RecurrentCell {
  if (target instanceof RecurrentCell) return target;
  const layer = select.layer ?? 0;
  const d = select.reverse ? 1 : 0;
  if (layer < 0 || layer >= target.numLayers || d >= target.directions) {
    throw new LayerConfigError(
      'layer',
      `no cell for layer ${layer}${select.reverse ? ' (reverse)' : ''}: the layer has ${target.numLayers} layer(s), ${target.directions} direction(s).`,
    );
  }
  return target.cells[layer * target.directions + d];
}

/**
 * Gate blocks of Keras' GRU (z, r, h) in seqzoo's order (r, z, n): a permutation of the column
 * blocks that is its own inverse.
 */
function swapFirstTwoBlocks(t: tf.Tensor, hidden: number): tf.Tensor {
  const axis = t.rank - 1;
  const [a, b, c] = tf.split(t, [hidden, hidden, hidden], axis);
  return tf.concat([b, a, c], axis);
}

/** One cell's weights in Keras' names and layout (new tensors, owned by the caller). */
export function toKeras(
  target: RecurrentLayer<string> | RecurrentCell,
  select: KerasSelect = {},
): KerasRecurrentWeights {
  const cell = pickCell(target, select);
  const H = cell.hiddenSize;
  return tf.tidy(() => {
    const gru = cell instanceof GRUCell;
    const order = (t: tf.Tensor) => (gru ? swapFirstTwoBlocks(t, H) : tf.clone(t));
    const out: KerasRecurrentWeights = {
      kernel: order(cell.weightIh),
      recurrent_kernel: order(cell.weightHh),
    };
    if (cell.biasIh && cell.biasHh) {
      out.bias =
        gru && cell.resetAfter
          ? tf.stack([order(cell.biasIh), order(cell.biasHh)])
          : order(tf.add(cell.biasIh, cell.biasHh));
    }
    return out as unknown as tf.TensorContainer;
  }) as unknown as KerasRecurrentWeights;
}

/**
 * Loads Keras weights into one cell (Keras' single bias goes to `biasIh`, `biasHh` becomes
 * zero). Shapes are checked with an error naming the Keras weight. The caller keeps ownership.
 */
export function fromKeras(
  target: RecurrentLayer<string> | RecurrentCell,
  weights: KerasRecurrentWeights,
  select: KerasSelect = {},
): void {
  const cell = pickCell(target, select);
  const H = cell.hiddenSize;
  const G = cell.gates;
  const gru = cell instanceof GRUCell;
  const check = (name: string, t: tf.Tensor | undefined, shape: number[]) => {
    if (!t) throw new StateDictError(name, `fromKeras: missing '${name}'.`);
    if (!tf.util.arraysEqual(t.shape, shape)) {
      throw new StateDictError(
        name,
        `fromKeras: '${name}' has shape [${t.shape}], expected [${shape}].`,
      );
    }
  };
  check('kernel', weights.kernel, [cell.inputSize, G * H]);
  check('recurrent_kernel', weights.recurrent_kernel, [H, G * H]);
  const hasBias = cell.biasIh !== null;
  if (hasBias !== (weights.bias !== undefined)) {
    throw new StateDictError(
      'bias',
      hasBias
        ? "fromKeras: missing 'bias' (the Keras layer had use_bias=False; build this one with bias: false)."
        : "fromKeras: unexpected 'bias' (this cell has bias: false).",
    );
  }
  const pairBias = gru && (cell as GRUCell).resetAfter;
  if (hasBias) check('bias', weights.bias, pairBias ? [2, G * H] : [G * H]);
  const state = tf.tidy(() => {
    const order = (t: tf.Tensor) => (gru ? swapFirstTwoBlocks(t, H) : tf.clone(t));
    const s: Record<string, tf.Tensor> = {
      weightIh: order(weights.kernel),
      weightHh: order(weights.recurrent_kernel),
    };
    if (hasBias) {
      const [bIh, bHh] = pairBias ? tf.unstack(weights.bias!) : [weights.bias!, tf.zeros([G * H])];
      s.biasIh = order(bIh);
      s.biasHh = order(bHh);
    }
    return s;
  });
  try {
    cell.loadStateDict(state);
  } finally {
    tf.dispose(Object.values(state));
  }
}
