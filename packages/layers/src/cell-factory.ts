import { LayerConfigError } from './errors';
import { GRU } from './gru';
import { GRUCell } from './gru-cell';
import { LSTM } from './lstm';
import { LSTMCell } from './lstm-cell';
import type { RecurrentCell, RecurrentCellOptions } from './recurrent-cell';
import type { RecurrentLayer, RecurrentLayerOptions } from './recurrent-layer';
import { RNN } from './rnn';
import { SimpleRNNCell } from './simple-rnn-cell';

/** The recurrent cells by name: PyTorch's LSTM, GRU (reset after) and Elman RNN (tanh). */
export type CellType = 'lstm' | 'gru' | 'rnn';
/** Every `CellType` name. */
export const CELL_TYPES: readonly CellType[] = ['lstm', 'gru', 'rnn'];

function checkType(type: unknown): CellType {
  if (!(CELL_TYPES as readonly unknown[]).includes(type)) {
    throw new LayerConfigError(
      'cell',
      `expected one of ${CELL_TYPES.join(', ')}, got '${String(type)}'.`,
    );
  }
  return type as CellType;
}

/** One cell (`step(x, state)`) of `type`: `LSTMCell`, `GRUCell` or `SimpleRNNCell`. */
export function createCell(type: CellType, options: RecurrentCellOptions): RecurrentCell {
  switch (checkType(type)) {
    case 'lstm':
      return new LSTMCell(options);
    case 'gru':
      return new GRUCell(options);
    default:
      return new SimpleRNNCell(options);
  }
}

/**
 * The sequence layer of `type` (`LSTM`, `GRU` or `RNN`: stacked, optionally bidirectional, on the
 * fused path). Its state keys are `h` (and `c` for an LSTM).
 */
export function createRecurrent(
  type: CellType,
  options: RecurrentLayerOptions,
): RecurrentLayer<'h' | 'c'> | RecurrentLayer<'h'> {
  switch (checkType(type)) {
    case 'lstm':
      return new LSTM(options);
    case 'gru':
      return new GRU(options);
    default:
      return new RNN(options);
  }
}
