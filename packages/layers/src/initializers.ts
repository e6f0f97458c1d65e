import { LayerConfigError } from './errors';
import { orthogonalMatrix } from './orthogonal';
import type { Random } from './random';

/** What an initializer knows about the parameter it fills. */
export interface InitContext {
  rng: Random;
  /** Inputs per output unit (rows of a `[in, out]` weight). */
  fanIn: number;
  /** Outputs (columns of a `[in, out]` weight). */
  fanOut: number;
  /** PyTorch's default bound: 1/√hiddenSize for recurrent layers, 1/√fanIn for Linear. */
  pytorchBound: number;
}

/** Fills a parameter of `shape` (row-major values). */
export type InitializerFn = (shape: readonly number[], ctx: InitContext) => Float32Array;

/** The named initializers (factories of `initializers` with default arguments). */
export type InitializerName =
  | 'zeros'
  | 'ones'
  | 'glorotUniform'
  | 'glorotNormal'
  | 'xavierUniform'
  | 'xavierNormal'
  | 'orthogonal'
  | 'pytorchUniform';

/** A named initializer or a function. */
export type Initializer = InitializerName | InitializerFn;

const size = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

function fill(shape: readonly number[], sample: () => number): Float32Array {
  const out = new Float32Array(size(shape));
  for (let i = 0; i < out.length; i++) out[i] = sample();
  return out;
}

/** Initializer factories; the names in `InitializerName` map onto these with default arguments. */
export const initializers = {
  /** Every value `value`. */
  constant:
    (value: number): InitializerFn =>
    (shape) =>
      fill(shape, () => value),
  /** Every value 0. */
  zeros: (): InitializerFn => (shape) => new Float32Array(size(shape)),
  /** Every value 1. */
  ones: (): InitializerFn => (shape) => fill(shape, () => 1),
  /** Uniform in [low, high). */
  uniform:
    (low: number, high: number): InitializerFn =>
    (shape, { rng }) =>
      fill(shape, () => rng.uniform(low, high)),
  /** Normal with mean `mean` (default 0) and std `std` (default 1). */
  normal:
    (mean = 0, std = 1): InitializerFn =>
    (shape, { rng }) =>
      fill(shape, () => mean + std * rng.normal()),
  /** Glorot/Xavier uniform: U(±gain·√(6 / (fanIn + fanOut))). Keras' default kernel init. */
  glorotUniform:
    (gain = 1): InitializerFn =>
    (shape, { rng, fanIn, fanOut }) => {
      const limit = gain * Math.sqrt(6 / (fanIn + fanOut));
      return fill(shape, () => rng.uniform(-limit, limit));
    },
  /** Keras' glorot_normal: a normal truncated at ±2σ, rescaled so that the std is √(2/(in+out)). */
  glorotNormal:
    (gain = 1): InitializerFn =>
    (shape, { rng, fanIn, fanOut }) => {
      const std = (gain * Math.sqrt(2 / (fanIn + fanOut))) / 0.8796256610342398;
      return fill(shape, () => std * rng.truncatedNormal());
    },
  /** PyTorch's xavier_normal_: a plain normal with std gain·√(2/(in+out)). */
  xavierNormal:
    (gain = 1): InitializerFn =>
    (shape, { rng, fanIn, fanOut }) => {
      const std = gain * Math.sqrt(2 / (fanIn + fanOut));
      return fill(shape, () => std * rng.normal());
    },
  /** Orthonormal rows or columns (Keras' default recurrent init), over the flattened last axis. */
  orthogonal:
    (gain = 1): InitializerFn =>
    (shape, { rng }) => {
      if (shape.length < 2) {
        throw new LayerConfigError(
          'initializer',
          `orthogonal needs a rank ≥ 2 shape, got [${shape}].`,
        );
      }
      const cols = shape[shape.length - 1];
      return orthogonalMatrix(size(shape) / cols, cols, rng, gain);
    },
  /** PyTorch's default for RNN and Linear: U(±bound), bound from the context unless given. */
  pytorchUniform:
    (bound?: number): InitializerFn =>
    (shape, { rng, pytorchBound }) => {
      const b = bound ?? pytorchBound;
      return fill(shape, () => rng.uniform(-b, b));
    },
};

/** Turns a name or function into an initializer function. */
export function resolveInitializer(init: Initializer): InitializerFn {
  if (typeof init === 'function') return init;
  switch (init) {
    case 'zeros':
      return initializers.zeros();
    case 'ones':
      return initializers.ones();
    case 'glorotUniform':
    case 'xavierUniform':
      return initializers.glorotUniform();
    case 'glorotNormal':
      return initializers.glorotNormal();
    case 'xavierNormal':
      return initializers.xavierNormal();
    case 'orthogonal':
      return initializers.orthogonal();
    case 'pytorchUniform':
      return initializers.pytorchUniform();
    default:
      throw new LayerConfigError(
        'initializer',
        `unknown initializer '${String(init)}'; use one of zeros, ones, glorotUniform, glorotNormal, xavierUniform, xavierNormal, orthogonal, pytorchUniform, or a function.`,
      );
  }
}
