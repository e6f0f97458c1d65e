import { Embedding } from '@seqzoo/layers';
import type * as tf from '@tensorflow/tfjs-core';

/** The cells seq2seq offers (built by @seqzoo/layers' `createRecurrent`). */
export type CellType = 'lstm' | 'gru';
/** Every `CellType` name. */
export const CELL_TYPES: readonly CellType[] = ['lstm', 'gru'];

/** The state of one decoder layer: `h` `[B, H]`, and `c` `[B, H]` for an LSTM. */
export interface CellState {
  h: tf.Tensor2D;
  c?: tf.Tensor2D;
}

/**
 * The token embedding of the encoder and of the decoder: `nn.Embedding(vocabSize,
 * embeddingSize, padding_idx=padId)`, its padding row frozen at zero, Glorot-uniform weights.
 */
export function tokenEmbedding(
  options: { vocabSize: number; embeddingSize: number; padId: number },
  seed: number,
): Embedding {
  return new Embedding({
    numEmbeddings: options.vocabSize,
    embeddingDim: options.embeddingSize,
    paddingIdx: options.padId,
    initializer: 'glorotUniform',
    seed,
  });
}
