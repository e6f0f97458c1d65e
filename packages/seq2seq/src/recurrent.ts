import type * as tf from '@tensorflow/tfjs-core';

/** The cells seq2seq offers (built by @seqzoo/layers' `createRecurrent`). */
export type CellType = 'lstm' | 'gru';
export const CELL_TYPES: readonly CellType[] = ['lstm', 'gru'];

/** The state of one decoder layer: `h` `[B, H]`, and `c` `[B, H]` for an LSTM. */
export interface CellState {
  h: tf.Tensor2D;
  c?: tf.Tensor2D;
}
