export { type Activation, type ActivationName, resolveActivation } from './activations';
export { CELL_TYPES, type CellType, createCell, createRecurrent } from './cell-factory';
export { Dense, type DenseOptions } from './dense';
export { Dropout, type DropoutOptions } from './dropout';
export { Embedding, type EmbeddingOptions, ONE_HOT_MAX_ROWS } from './embedding';
export { InputShapeError, LayerConfigError, StateDictError } from './errors';
export {
  type FusedBackward,
  type FusedCellMath,
  type FusedForward,
  type FusedRunOptions,
  type FusedRunResult,
  runFused,
} from './fused-recurrence';
export { GRU, type GRUOptions } from './gru';
export { GRUCell, type GRUCellOptions, gruMath } from './gru-cell';
export {
  type InitContext,
  type Initializer,
  type InitializerFn,
  type InitializerName,
  initializers,
  resolveInitializer,
} from './initializers';
export { fromKeras, type KerasRecurrentWeights, type KerasSelect, toKeras } from './keras';
export { LayerNorm, type LayerNormOptions } from './layer-norm';
export { type CrossEntropyOptions, crossEntropy } from './losses';
export { LSTM, type LSTMOptions } from './lstm';
export { LSTMCell, type LSTMCellOptions, type LSTMState, lstmMath } from './lstm-cell';
export {
  type CreateParameterOptions,
  type LoadStateDictOptions,
  Module,
  withoutInitialization,
} from './module';
export { fromPyTorch, toPyTorch } from './pytorch';
export { Random } from './random';
export {
  RecurrentCell,
  type RecurrentCellOptions,
  type RecurrentInitOptions,
} from './recurrent-cell';
export {
  type RecurrentForwardOptions,
  RecurrentLayer,
  type RecurrentLayerOptions,
  RecurrentStepper,
  type SequenceState,
} from './recurrent-layer';
export { RNN, type RNNOptions } from './rnn';
export { type RNNNonlinearity, SimpleRNNCell, type SimpleRNNCellOptions } from './simple-rnn-cell';
export { valueAndGrads } from './value-and-grads';
