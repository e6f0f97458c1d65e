import * as tf from '@tensorflow/tfjs-core';
import { NonFiniteGradientError, OptimizerConfigError } from './errors';
import { type NamedTensors, toMap } from './named';

/** What `clipGradNorm` returns. */
export interface ClippedGrads {
  /** New tensors (the caller disposes them); the input gradients are left untouched. */
  grads: Map<string, tf.Tensor>;
  /** The global norm of all gradients together, before clipping (NaN/Inf when one is non-finite). */
  totalNorm: number;
  /** False when `totalNorm` is NaN or ±Inf: the returned gradients are then unscaled copies. */
  finite: boolean;
}

/** Options of `clipGradNorm`. */
export interface ClipGradNormOptions {
  /** Throw NonFiniteGradientError instead of reporting `finite: false`. Default false. */
  errorIfNonfinite?: boolean;
}

/**
 * Scales all gradients by one factor so that their global `normType`-norm is at most `maxNorm`,
 * as torch.nn.utils.clip_grad_norm_: coefficient = min(1, maxNorm / (totalNorm + 1e-6)).
 * A non-finite total norm is reported (`finite: false`) and the gradients come back unscaled,
 * never multiplied by NaN; skip the step when `finite` is false (or ask for an error).
 */
export function clipGradNorm(
  grads: NamedTensors,
  maxNorm: number,
  normType = 2,
  options: ClipGradNormOptions = {},
): ClippedGrads {
  if (!(typeof maxNorm === 'number' && maxNorm >= 0 && !Number.isNaN(maxNorm))) {
    throw new OptimizerConfigError('maxNorm', maxNorm, 'a number >= 0');
  }
  if (!(typeof normType === 'number' && normType > 0)) {
    throw new OptimizerConfigError('normType', normType, 'a number > 0, or Infinity');
  }
  const map = toMap(grads);
  const list = [...map.values()];
  if (list.length === 0) return { grads: new Map(), totalNorm: 0, finite: true };
  const normTensor = tf.tidy(() => {
    const norms = list.map((g) => pNorm(tf.reshape(tf.cast(g, 'float32'), [-1]), normType));
    return pNorm(tf.stack(norms), normType);
  });
  const totalNorm = normTensor.dataSync()[0];
  normTensor.dispose();
  const finite = Number.isFinite(totalNorm);
  if (!finite && options.errorIfNonfinite) throw new NonFiniteGradientError(totalNorm);
  const coef = finite ? Math.min(1, maxNorm / (totalNorm + 1e-6)) : 1;
  const out = new Map<string, tf.Tensor>();
  for (const [name, g] of map)
    out.set(
      name,
      tf.tidy(() => (coef === 1 ? tf.clone(g) : tf.mul(g, coef))),
    );
  return { grads: out, totalNorm, finite };
}

/** The p-norm of a vector: max |x| for p = ∞, (Σ|x|^p)^(1/p) otherwise (tf.norm knows only 1, 2, ∞). */
function pNorm(x: tf.Tensor, p: number): tf.Tensor {
  if (p === Infinity) return tf.max(tf.abs(x));
  if (p === 1) return tf.sum(tf.abs(x));
  if (p === 2) return tf.sqrt(tf.sum(tf.square(x)));
  return tf.pow(tf.sum(tf.pow(tf.abs(x), p)), 1 / p);
}

/** Clamps every gradient element into [-clipValue, clipValue] (torch.nn.utils.clip_grad_value_). New tensors. */
export function clipGradValue(grads: NamedTensors, clipValue: number): Map<string, tf.Tensor> {
  if (!(typeof clipValue === 'number' && clipValue >= 0)) {
    throw new OptimizerConfigError('clipValue', clipValue, 'a number >= 0');
  }
  const out = new Map<string, tf.Tensor>();
  for (const [name, g] of toMap(grads)) out.set(name, tf.clipByValue(g, -clipValue, clipValue));
  return out;
}
