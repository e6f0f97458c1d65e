import * as tf from '@tensorflow/tfjs-core';
import type { BenchCase } from './bench-case';
import type { Impl } from './config';

/** The generation benchmark: a 2-layer, 256-unit LSTM run one token at a time, batch 1. */
export const GEN = { layers: 2, inputSize: 256, hiddenSize: 256, tokens: 32 };

/** Forward FLOPs of one token through the stack. */
export function genFlopsPerToken(): number {
  const { layers, inputSize, hiddenSize: H } = GEN;
  let flops = 0;
  for (let l = 0; l < layers; l++) flops += 2 * ((l === 0 ? inputSize : H) + H) * 4 * H;
  return flops;
}

/**
 * `run()` generates GEN.tokens tokens, reading each output back as a sampler would; the reported
 * time is divided by GEN.tokens (ms per token). seqzoo: the stateful stepper; tfjs-layers: the
 * usual pattern, a layer per level called on one step with `initialState` and `returnState`.
 */
export async function makeGenerationCase(impl: Impl): Promise<BenchCase> {
  const { layers, inputSize, hiddenSize, tokens } = GEN;
  const x = tf.randomNormal([1, inputSize], 0, 1, 'float32', 11);
  if (impl === 'seqzoo') {
    const { LSTM } = await import('@seqzoo/layers');
    const lstm = new LSTM({ inputSize, hiddenSize, numLayers: layers });
    const stepper = lstm.createStepper({ batchSize: 1 });
    return {
      async run() {
        stepper.reset();
        for (let t = 0; t < tokens; t++) {
          const y = stepper.step(x);
          await y.data();
          y.dispose();
        }
      },
      dispose() {
        stepper.dispose();
        lstm.dispose();
        x.dispose();
      },
    };
  }
  const tfl = await import('@tensorflow/tfjs-layers');
  const stack = Array.from({ length: layers }, () =>
    tfl.layers.lstm({
      units: hiddenSize,
      returnState: true,
      recurrentActivation: 'sigmoid',
      kernelInitializer: 'glorotUniform',
      recurrentInitializer: 'glorotUniform',
    }),
  );
  const x3 = tf.reshape(x, [1, 1, inputSize]);
  let state: tf.Tensor[][] = [];
  const reset = () => {
    tf.dispose(state.flat());
    state = stack.map(() => [tf.zeros([1, hiddenSize]), tf.zeros([1, hiddenSize])]);
  };
  return {
    async run() {
      reset();
      for (let t = 0; t < tokens; t++) {
        const next: tf.Tensor[][] = [];
        const y = tf.tidy(() => {
          let input = x3;
          for (let l = 0; l < layers; l++) {
            const [out, h, c] = stack[l].apply(input, { initialState: state[l] }) as tf.Tensor[];
            next.push([tf.keep(h), tf.keep(c)]);
            input = tf.reshape(out, [1, 1, hiddenSize]);
          }
          return tf.reshape(input, [1, hiddenSize]);
        });
        tf.dispose(state.flat());
        state = next;
        await y.data();
        y.dispose();
      }
    },
    dispose() {
      tf.dispose(state.flat());
      for (const l of stack) l.dispose();
      tf.dispose([x, x3]);
    },
  };
}
