import type { LayerUnderTest } from './bench-case';
import type { Cell } from './config';

/** @seqzoo/layers' LSTM / GRU (fused gates, hand-written backward through time). */
export async function makeSeqzooLayer(
  cell: Cell,
  inputSize: number,
  hiddenSize: number,
): Promise<LayerUnderTest> {
  const { LSTM, GRU } = await import('@seqzoo/layers');
  const Layer = cell === 'lstm' ? LSTM : GRU;
  const layer = new Layer({ inputSize, hiddenSize, numLayers: 1 });
  return {
    apply(x) {
      // The final state is left to the caller's tidy (variableGrads tidies its function).
      return layer.forward(x).output;
    },
    params: layer.parameters(),
    dispose() {
      layer.dispose();
    },
  };
}
