import { GRUCell, type GRUCellOptions } from './gru-cell';
import { RecurrentLayer, type RecurrentLayerOptions } from './recurrent-layer';

export interface GRUOptions extends RecurrentLayerOptions {
  /** Reset gate after the recurrent matmul (default true: PyTorch, Keras 3). */
  resetAfter?: boolean;
}

/**
 * A (stacked, optionally bidirectional) GRU over `[batch, time, features]`, PyTorch's equations
 * and gate order (r, z, n). State `{ h }`, `[numLayers·dirs, B, H]`. With `resetAfter: false`
 * the sequence runs the plain cell path (no fused kernel for that variant).
 */
export class GRU extends RecurrentLayer<'h'> {
  constructor(options: GRUOptions) {
    super(options, ['h'], (cell) => new GRUCell(cell as GRUCellOptions));
  }
}
