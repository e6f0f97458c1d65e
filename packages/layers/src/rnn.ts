import { RecurrentLayer, type RecurrentLayerOptions } from './recurrent-layer';
import { type RNNNonlinearity, SimpleRNNCell, type SimpleRNNCellOptions } from './simple-rnn-cell';

export interface RNNOptions extends RecurrentLayerOptions {
  /** Default 'tanh'. */
  nonlinearity?: RNNNonlinearity;
}

/** A (stacked, optionally bidirectional) Elman RNN over `[batch, time, features]`. State `{ h }`. */
export class RNN extends RecurrentLayer<'h'> {
  constructor(options: RNNOptions) {
    super(options, ['h'], (cell) => new SimpleRNNCell(cell as SimpleRNNCellOptions));
  }
}
