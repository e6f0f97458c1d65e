import { GRU, GRUCell, LSTM, LSTMCell, type RecurrentCell } from '@seqzoo/layers';
import type * as tf from '@tensorflow/tfjs-core';

export type CellType = 'lstm' | 'gru';
export const CELL_TYPES: readonly CellType[] = ['lstm', 'gru'];

/** The state of one decoder layer: `h` `[B, H]`, and `c` `[B, H]` for an LSTM. */
export interface CellState {
  h: tf.Tensor2D;
  c?: tf.Tensor2D;
}

export interface SequenceOptions {
  inputSize: number;
  hiddenSize: number;
  numLayers: number;
  bidirectional: boolean;
  dropout: number;
  seed: number;
}

/** The encoder's sequence layer: @seqzoo/layers' fused LSTM or GRU (PyTorch gate order). */
export function sequenceLayer(cell: CellType, options: SequenceOptions): LSTM | GRU {
  return cell === 'lstm' ? new LSTM(options) : new GRU(options);
}

/** A decoder cell: @seqzoo/layers' LSTMCell or GRUCell (reset after, as PyTorch). */
export function decoderCell(
  cell: CellType,
  inputSize: number,
  hiddenSize: number,
  seed: number,
): RecurrentCell {
  return cell === 'lstm'
    ? new LSTMCell({ inputSize, hiddenSize, seed })
    : new GRUCell({ inputSize, hiddenSize, seed });
}

/** One cell step on a `{h, c}` state (autodiff path; call inside a tidy). */
export function stepCell(cell: RecurrentCell, x: tf.Tensor2D, state: CellState): CellState {
  const next = cell.stepState(x, state.c ? [state.h, state.c] : [state.h]);
  return next.length === 2 ? { h: next[0], c: next[1] } : { h: next[0] };
}
