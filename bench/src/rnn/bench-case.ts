import * as tf from '@tensorflow/tfjs-core';
import { type Cell, type Impl, type Phase, SIZES, type SizeName } from './config';
import { makeSeqzooLayer } from './seqzoo-layer';
import { makeTfjsLayer } from './tfjs-layer';

/** A recurrent layer under test, seen the same way whichever library made it. */
export interface LayerUnderTest {
  /** `[B, T, F]` → `[B, T, H]` (every step), recorded on the tape when called under a gradient. */
  apply(x: tf.Tensor): tf.Tensor;
  /** The trainable variables. */
  params: tf.Variable[];
  dispose(): void;
}

/** One benchmarked computation: `run()` does one step and waits for its result. */
export interface BenchCase {
  run(): Promise<void>;
  dispose(): void;
}

export async function makeLayer(impl: Impl, cell: Cell, size: SizeName): Promise<LayerUnderTest> {
  const { F, H } = SIZES[size];
  return impl === 'seqzoo' ? makeSeqzooLayer(cell, F, H) : makeTfjsLayer(cell, F, H);
}

/**
 * The same step on both sides, so that only the layer differs: training is
 * `tf.variableGrads(mean(y²), params)` then Adam's `applyGradients`; inference is a forward pass.
 */
export async function makeCase(
  impl: Impl,
  cell: Cell,
  size: SizeName,
  phase: Phase,
): Promise<BenchCase> {
  const { B, T, F } = SIZES[size];
  const layer = await makeLayer(impl, cell, size);
  const x = tf.randomNormal([B, T, F], 0, 1, 'float32', 7);
  const optimizer = tf.train.adam(1e-3);
  const loss = () => tf.mean(tf.square(layer.apply(x))) as tf.Scalar;
  return {
    async run() {
      if (phase === 'train') {
        const { value, grads } = tf.variableGrads(loss, layer.params);
        optimizer.applyGradients(grads as Record<string, tf.Variable>);
        await value.data();
        tf.dispose([value, ...Object.values(grads)]);
      } else {
        const y = tf.tidy(() => layer.apply(x));
        await y.data();
        y.dispose();
      }
    },
    dispose() {
      optimizer.dispose();
      layer.dispose();
      x.dispose();
    },
  };
}

/** One a·b matMul read back, in ms: the ceiling the recurrent rows are compared with. */
export async function matmulOnce(a: tf.Tensor, b: tf.Tensor): Promise<number> {
  const t0 = performance.now();
  const c = tf.matMul(a, b);
  await c.data();
  c.dispose();
  return performance.now() - t0;
}
