import { GRU, LSTM, type RecurrentLayer, RNN } from '@seqzoo/layers';
import { z } from 'zod';

/** The recurrent cell of a zoo network: LSTM, GRU or the Elman RNN. */
export const cellSchema = z.enum(['lstm', 'gru', 'rnn']);
/** `'lstm' | 'gru' | 'rnn'`. */
export type ZooCellType = z.output<typeof cellSchema>;

/** What `makeRecurrent` builds: cell, sizes, layers, direction, dropout, seed. */
export interface RecurrentSpec {
  cell: ZooCellType;
  inputSize: number;
  hiddenSize: number;
  numLayers: number;
  bidirectional?: boolean;
  dropout?: number;
  returnSequences?: boolean;
  seed: number;
}

/** The @seqzoo/layers sequence layer for `cell` ('lstm', 'gru' or the Elman 'rnn'). */
export function makeRecurrent(spec: RecurrentSpec): RecurrentLayer<string> {
  const options = {
    inputSize: spec.inputSize,
    hiddenSize: spec.hiddenSize,
    numLayers: spec.numLayers,
    bidirectional: spec.bidirectional ?? false,
    dropout: spec.dropout ?? 0,
    returnSequences: spec.returnSequences ?? true,
    seed: spec.seed,
  };
  switch (spec.cell) {
    case 'lstm':
      return new LSTM(options) as RecurrentLayer<string>;
    case 'gru':
      return new GRU(options) as RecurrentLayer<string>;
    default:
      return new RNN(options) as RecurrentLayer<string>;
  }
}
