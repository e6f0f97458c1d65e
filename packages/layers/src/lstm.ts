import { LSTMCell, type LSTMCellOptions } from './lstm-cell';
import { RecurrentLayer, type RecurrentLayerOptions } from './recurrent-layer';

export interface LSTMOptions extends RecurrentLayerOptions {
  /** Add 1 to the forget gate's bias at initialisation (default true with init 'keras'). */
  unitForgetBias?: boolean;
}

/**
 * A (stacked, optionally bidirectional) LSTM over `[batch, time, features]`, PyTorch's equations
 * and gate order (i, f, g, o). State `{ h, c }`, each `[numLayers·dirs, B, H]`.
 */
export class LSTM extends RecurrentLayer<'h' | 'c'> {
  constructor(options: LSTMOptions) {
    super(options, ['h', 'c'], (cell) => new LSTMCell(cell as LSTMCellOptions));
  }
}
