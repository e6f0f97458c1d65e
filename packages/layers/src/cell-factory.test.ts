import { useBackend } from '@seqzoo/backend';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { CELL_TYPES, createCell, createRecurrent } from './cell-factory';
import { LayerConfigError } from './errors';
import { GRU } from './gru';
import { GRUCell } from './gru-cell';
import { LSTM } from './lstm';
import { LSTMCell } from './lstm-cell';
import { RNN } from './rnn';
import { SimpleRNNCell } from './simple-rnn-cell';

beforeAll(async () => {
  await useBackend('cpu');
});

describe('cell factory', () => {
  it('builds the cell and the sequence layer of each type, with the same weights as the classes', () => {
    const cells = { lstm: LSTMCell, gru: GRUCell, rnn: SimpleRNNCell };
    const layers = { lstm: LSTM, gru: GRU, rnn: RNN };
    for (const type of CELL_TYPES) {
      const cell = createCell(type, { inputSize: 3, hiddenSize: 2, seed: 5 });
      expect(cell).toBeInstanceOf(cells[type]);
      const direct = new cells[type]({ inputSize: 3, hiddenSize: 2, seed: 5 });
      expect(cell.weightIh.dataSync()).toEqual(direct.weightIh.dataSync());
      const layer = createRecurrent(type, {
        inputSize: 3,
        hiddenSize: 2,
        numLayers: 2,
        bidirectional: true,
        seed: 1,
      });
      expect(layer).toBeInstanceOf(layers[type]);
      expect(layer.cells).toHaveLength(4);
      const { output, state } = layer.forward(tf.ones([1, 4, 3]), { lengths: [3] });
      expect(output.shape).toEqual([1, 4, 4]);
      expect(Object.keys(state).sort()).toEqual(type === 'lstm' ? ['c', 'h'] : ['h']);
      tf.dispose([output, ...Object.values(state)]);
      cell.dispose();
      direct.dispose();
      layer.dispose();
    }
  });

  it('names a bad type in a LayerConfigError', () => {
    expect(() => createCell('tcn' as 'gru', { inputSize: 1, hiddenSize: 1 })).toThrow(
      LayerConfigError,
    );
    expect(() => createRecurrent('tcn' as 'gru', { inputSize: 1, hiddenSize: 1 })).toThrow(
      /'cell'.*lstm, gru, rnn.*got 'tcn'/,
    );
  });
});
