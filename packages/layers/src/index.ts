export { type Activation, type ActivationName, resolveActivation } from './activations';
export { Dense, type DenseOptions } from './dense';
export { InputShapeError, LayerConfigError, StateDictError } from './errors';
export {
  type InitContext,
  type Initializer,
  type InitializerFn,
  type InitializerName,
  initializers,
  resolveInitializer,
} from './initializers';
export { type CreateParameterOptions, type LoadStateDictOptions, Module } from './module';
export { Random } from './random';
export { valueAndGrads } from './value-and-grads';
